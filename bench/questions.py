"""Questions about the default article that the benchmarks ask, answerable and not."""

QUESTIONS = [
    "How many people died in the Paris attacks?",
    "Who is Hollande?",
    "Where did Putin meet Obama?",
    "How many Russian holidaymakers were killed?",
    "What did Lavrov and Kerry do in Vienna?",
    "What colour is the pope's bicycle?",
    "When did France launch airstrikes?",
    "Who claimed responsibility for the attack?",
]

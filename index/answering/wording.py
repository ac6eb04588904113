"""What every front-end says around an answer's passages (the command line, the console, Discord):
one wording, so none of them claims that passages without a short answer answer the question."""

NOT_SAID = "The content does not say."
CLOSEST = "Closest passage (it does not answer the question):"  # under NOT_SAID, when there is one
NO_SHORT_ANSWER = "No short answer: the passages closest to the question, which may not answer it:"

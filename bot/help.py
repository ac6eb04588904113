"""What the bot can do and how to ask: one text for /help in Discord and in the console."""
from __future__ import annotations

from index.content.validation import FILE_TYPES
from index.settings import IndexSettings

# (Discord form, console form, what it does); None: not in that front-end.
COMMANDS = [
    ("/ask question:<words>", "<your question>", "an answer in the content's own words, quoted and cited"),
    ("@Verbatim <question>", None, "the same, by mentioning the bot"),
    ("/summary [sentences] [section] [topic]", "/summary [sentences:N] [section:NAME] [topic:WORDS]",
     "the content, a section or a topic in its own sentences (1-10)"),
    ("/status", "/status", "what is indexed"),
    ("/reindex", "/reindex", "moderators: rebuild the content from its sources"),
    ("/content add attachment:<file> (or url)", "/content add PATH (or URL)",
     f"moderators: add a {FILE_TYPES} document"),
    ("/content list | remove | history | rollback", "/content list | remove NAME | history | rollback N",
     "moderators: the documents and their versions"),
    ("/content feedback", "/content feedback", "moderators: the answers members marked wrong"),
    ("/content gaps", "/content gaps", "moderators: the questions the content did not answer, grouped, most asked first"),
    ("/content scope channel documents | unscope channel", "/content scope NAME[, NAME...] | unscope",
     "moderators: answer a channel's questions (its threads' too) from some documents only, or from all again"),
    ("/content follow url | unfollow url | feeds", "/content follow URL | unfollow URL | feeds [poll]",
     "moderators: follow an RSS or Atom feed, its new entries' pages added as they come (when URLs are allowed)"),
    ("/help", "/help", "this text"),
    (None, "/quit", "leave (or Ctrl-D)"),
]

QUESTION_EXAMPLES = ("How many people died in Paris?", "Who said 'there can be no tolerance of terrorism'?",
                     "When did the summit start?")
HOW_TO_ASK = ("Ask one thing at a time, with the names the content uses: "
              + ", ".join(f'"{question}"' for question in QUESTION_EXAMPLES) + ". "
              "Every answer is a verbatim span of the passage quoted under it; when the content does not "
              "say, Verbatim says so instead of guessing.")
# The console's options are name:value words; a value runs on to the next option.
SUMMARY_EXAMPLES = ("/summary sentences:2 topic:Russian holidaymakers", '/summary section:"War talk"')
CONSOLE_OPTIONS = ("Write options as name:value; a value of several words runs on to the next option, or "
                   "quote it: " + " or ".join(SUMMARY_EXAMPLES) + ".")
FEEDBACK = "Under each answer, Helpful / Wrong tell the moderators which answers to fix."


def kept_note(keep: bool, days: int) -> str:
    """What is kept of the questions asked (VERBATIM_KEEP_QUESTIONS, _DAYS; index/store/asked.py)."""
    if not keep:
        return "Questions are not kept."
    how_long = f"deleted after {days} days" if days else "kept without a time limit"
    return ("Questions are kept so the moderators see what the content misses (/content gaps): the question, "
            "whether it was answered, the closest passage and the time, with who asked only as a one-way keyed "
            f"hash, never your id; {how_long}.")


def help_text(console: bool, settings: IndexSettings | None = None) -> str:
    settings = settings or IndexSettings.model_construct()  # the defaults, without reading the environment
    column = 1 if console else 0
    rows = [(row[column], row[2]) for row in COMMANDS if row[column]]
    width = max(len(form) for form, _ in rows)
    lines = [f"{'  ' if console else ''}{form:<{width}}  {what}" if console else f"`{form}`: {what}"
             for form, what in rows]
    parts = [HOW_TO_ASK, *([] if console else [FEEDBACK]), kept_note(settings.keep_questions, settings.keep_questions_days),
             "\n".join(lines), *([CONSOLE_OPTIONS] if console else [])]
    return "\n\n".join(parts)

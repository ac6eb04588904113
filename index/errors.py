"""The errors the engine reports to its users as they are: each message says what happened and
what to do. Front-ends print or reply with the message, never a traceback."""


class EngineError(Exception):
    """A failure to report to the user as it is."""


class QuestionError(EngineError):
    """The question itself is unusable: empty, too long, control characters."""


class NotIndexedError(EngineError):
    """Nothing is indexed for the corpus yet."""


class ReaderUnavailableError(EngineError):
    """The reader's model files are missing or broken (VERBATIM_READER=false answers by rules)."""


class ContentError(EngineError):
    """A change refused or failed; the message says why and what to do."""


class StoreError(EngineError):
    """The index file cannot be used: corrupt, unreadable, read-only for a change, or too new."""


class UnreadableStoreError(StoreError):
    """The index file is no readable Verbatim index (corrupt, truncated, another kind of file):
    nothing can be answered from it until it is moved aside and rebuilt."""


class StoreConflict(StoreError):
    """A write that broke one of the store's rules (two documents of one name in a version): rolled back."""


class EmbedderUnavailableError(EngineError):
    """The embedding model's files are missing or broken (VERBATIM_SEMANTIC=false retrieves by words alone)."""

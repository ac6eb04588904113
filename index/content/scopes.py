"""Channel scopes: a moderator binds a channel to some of the corpus's documents, and questions
asked there are answered from those alone (Engine.within). The names are checked against the
live version when the scope is set, every unknown one named and nothing kept; the scope is kept
in the store (index/store/scopes.py), so reindexes and restarts keep it, and a document removed
later is simply no longer matched (`scopes` says which)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.errors import ContentError
from index.store import scopes as kept
from index.store.base import Store
from index.store.lazy import open_version

NAMES_SHOWN = 10  # documents named in an error, the rest counted


@dataclass(frozen=True)
class ScopeEntry:
    """A channel's scope as /status shows it."""
    channel: str
    documents: tuple[str, ...]  # in the live version
    missing: tuple[str, ...]  # named by the scope, no longer in the content
    set_by: str
    set_at: float


def split_names(documents: str | Sequence[str]) -> list[str]:
    """Document names given as "a.txt, b.md" (or a list), each once, in order."""
    parts = documents.split(",") if isinstance(documents, str) else documents
    return list(dict.fromkeys(name.strip() for name in parts if name.strip()))


def resolve(requested: Sequence[str], available: Sequence[str]) -> tuple[str, ...]:
    """The documents named, as the content spells them (a name matches in any case), or one
    ContentError naming every name the content lacks."""
    if not requested:
        raise ContentError("name at least one document, separated by commas, as the document list shows them")
    by_folded = {name.casefold(): name for name in available}
    unknown = [name for name in requested if name.casefold() not in by_folded]
    if unknown:
        shown = ", ".join(available[:NAMES_SHOWN]) + (f" and {len(available) - NAMES_SHOWN} more"
                                                      if len(available) > NAMES_SHOWN else "")
        raise ContentError(f"no document named {', '.join(map(repr, unknown))} here; nothing was changed. "
                           f"The documents are: {shown or 'none yet'}")
    return tuple(dict.fromkeys(by_folded[name.casefold()] for name in requested))


class ChannelScopes:
    """The scope operations of ContentManager (operations.py), audited like its changes (its `_audited`)."""
    store: Store

    def scope(self, corpus: str, actor: str, channel: str, documents: str | Sequence[str]) -> tuple[str, ...]:
        """Bind the channel to these documents (replacing its scope); the names as the content spells them."""
        with self._audited(corpus, actor, "scope", f"channel {channel}: {documents}") as audit:
            names = resolve(split_names(documents), self._document_names(corpus))
            kept.save(self.store, corpus, channel, names, actor)
            audit.result = "answers from " + ", ".join(names)
        return names

    def unscope(self, corpus: str, actor: str, channel: str) -> bool:
        """The channel answers from every document again; False when it had no scope."""
        with self._audited(corpus, actor, "unscope", f"channel {channel}") as audit:
            dropped = kept.drop(self.store, corpus, channel)
            audit.result = "answers from every document" if dropped else "it had no scope"
        return dropped

    def scope_of(self, corpus: str, channel: str) -> tuple[str, ...] | None:
        """The documents a channel answers from; None for all of them (read at every question)."""
        return kept.of_channel(self.store, corpus, channel)

    def scopes(self, corpus: str) -> list[ScopeEntry]:
        """Every channel scope of the corpus, with the documents it names that are gone."""
        live = set(self._document_names(corpus))
        return [ScopeEntry(s.channel, tuple(n for n in s.documents if n in live),
                           tuple(n for n in s.documents if n not in live), s.set_by, s.set_at)
                for s in kept.of_corpus(self.store, corpus)]

    def _document_names(self, corpus: str) -> list[str]:
        live = open_version(self.store, corpus) if self.store.exists() else None
        return [d.name for d in live.documents.labelled()] if live else []

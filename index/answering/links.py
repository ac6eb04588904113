"""Deep links: a passage of a page added by URL is cited with a link that opens the page at it.

The link is the page's URL with a text fragment (the WICG scroll-to-text-fragment syntax,
`#:~:text=start,end`): the first and last few words of the passage as indexed, or the whole
passage when it is short, which the browser finds, scrolls to and highlights. The words are the
passage's own, so they are on the page, and few, so that markup inside the passage (a link, a
bold word) does not break the match. A PDF opens at the passage's page (`#page=N`) instead; a
fragment the URL had is replaced. Terms are percent-encoded ('-', ',' and '&' too: the syntax's
own), and so is every character of the URL that is not plain, so a link holds no '@', '<' or
parenthesis: it cannot mention anyone or break the Markdown link it is written in. Documents
read from files have no link.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

EDGE_WORDS = 4  # words from each end of a passage
WHOLE_AT_MOST = 8  # words: a passage this short is matched whole
URL_KEEPS = "/:?=&%+,;!$~"  # kept as they are in a path and query (letters, digits and "_.-~" always are)
PLAIN_HOST = re.compile(r"[A-Za-z0-9.-]+(:\d+)?")
EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")  # quotes and stops around the ends: the words alone match surely


def deep_link(source: str | None, text: str, page: int | None = None) -> str | None:
    """The link that opens the page the document came from at this passage; None when the
    document was not fetched from a URL."""
    page_url = _page_url(source)
    if page_url is None:
        return None
    if page is not None:
        return f"{page_url}#page={page}"
    terms = fragment_terms(text)
    return f"{page_url}#:~:text={','.join(_encoded(t) for t in terms)}" if terms else page_url


def fragment_terms(text: str) -> list[str]:
    """The passage's text as the fragment's terms: [whole] when short, else [start, end]."""
    words = text.split()
    if len(words) <= WHOLE_AT_MOST:
        terms = [" ".join(words)]
    else:
        terms = [" ".join(words[:EDGE_WORDS]), " ".join(words[-EDGE_WORDS:])]
    return [t for t in (EDGE_PUNCTUATION.sub("", term) for term in terms) if t]


def _encoded(term: str) -> str:
    return quote(term, safe="").replace("-", "%2D")  # quote keeps '-', a fragment's prefix and suffix mark


def _page_url(source: str | None) -> str | None:
    """The source as an http(s) URL without its fragment, every unusual character percent-encoded."""
    if not source:
        return None
    try:
        parts = urlsplit(source.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not PLAIN_HOST.fullmatch(parts.netloc):
        return None
    return urlunsplit((parts.scheme, parts.netloc, quote(parts.path, safe=URL_KEEPS),
                       quote(parts.query, safe=URL_KEEPS), ""))

"""From what the engine returns to the Replies the handlers give: answers, changes, lists, with
the small formatting they share (counts, dates, clipping)."""
from __future__ import annotations

import datetime as dt

from index.answering import wording
from index.content.reports import ChangeReport

from .replies import Fact, Quote, Reply


def change_reply(title: str, report: ChangeReport, waited: bool) -> Reply:
    lead = [report.summary(), *report.notes]
    if waited:
        lead.append("It waited for another change to this content to finish first.")
    documents = f"{report.documents}"
    if report.documents_added or report.documents_removed:
        documents += f" (+{len(report.documents_added)} / -{len(report.documents_removed)})"
    if report.unchanged:
        title = "Nothing changed"
    return Reply("content", title=f"{title}: content version {report.version}", lead="\n".join(lead), facts=[
        Fact("Documents", documents),
        Fact("Passages", f"{report.passages} (+{report.passages_added} / -{report.passages_removed})"),
        Fact("Time", f"{report.seconds:.2f} s"),
    ], footer=f"content version {report.version}")


def answer_reply(result, answer_id: int | None, threadable: bool) -> Reply:
    footer = f"content version {result.version}" if result.version is not None else None
    if result.refused:
        quotes = [quote(hit, None) for hit in result.passages[:1]]
        return Reply("refusal", title=result.question, lead=wording.NOT_SAID,
                     quote_label=wording.CLOSEST if quotes else None,
                     quotes=quotes, footer=footer, answer_id=answer_id, more_after=len(quotes) or None,
                     threadable=threadable)
    quotes = [quote(hit, (hit.answer_start, hit.answer_end)) for hit in result.passages]
    return Reply("answer", title=result.question, answer=result.answer or None,
                 lead=None if result.answer else wording.NO_SHORT_ANSWER, quotes=quotes, footer=footer,
                 answer_id=answer_id, more_after=len(quotes) or None, threadable=threadable)


def answer_said(tally) -> str:
    if tally.answer:
        return f"answered \u201c{clipped(tally.answer, 100)}\u201d"
    return "refused" if tally.refused else "answered with passages only"


def clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def date_text(timestamp: float | None) -> str:
    if not timestamp:
        return "-"
    return dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def document_line(entry) -> str:
    origin = f"added by {entry.added_by}, {date_text(entry.added_at)}" if entry.added_by else "content file"
    return f"{entry.title or 'untitled'}; {counted(entry.passages, 'passage')}; {origin}"


def version_line(entry) -> str:
    what = [f"+{name}" for name in entry.documents_added] + [f"-{name}" for name in entry.documents_removed]
    what.append(f"passages +{entry.passages_added}/-{entry.passages_removed}")
    return f"{date_text(entry.created_at)} by {entry.author}: {entry.action}; {', '.join(what)}"


def quote(hit, mark: tuple[int | None, int | None] | None) -> Quote:
    span = None
    if mark and mark[0] is not None and mark[1] is not None and 0 <= mark[0] < mark[1] <= len(hit.text):
        span = (mark[0], mark[1])
    return Quote(hit.text, hit.document, hit.section, hit.paragraph, span, hit.page, hit.link)


def latency_text(seconds: float | None) -> str:
    if seconds is None:
        return "n/a (console)"
    if seconds != seconds or seconds == float("inf"):
        return "not measured yet"
    return f"{seconds * 1000:.0f} ms"

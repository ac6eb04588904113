"""The one renderer: Replies as Discord messages (within every Discord limit) or as console text.

Everything taken from the content or from users is escaped for Markdown, so quotes render as
written; the renderer adds the only markup (bold answer span, block quotes, italics). Every
message is sent with AllowedMentions.none(): quoted text may hold @everyone or <@id>.
"""
from __future__ import annotations

import datetime as dt
import re
from itertools import accumulate

import discord

from .replies import Quote, Reply

# Discord's limits (developer documentation: message and embed resources)
CONTENT = 2000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBEDS_TOTAL = 6000

ELLIPSIS = "…"
MIN_QUOTE = 240  # a further quote is only shown when at least this much room is left
LINK_AT_MOST = 600  # characters of a citation's link: a longer one goes without its fragment, then without a link

COLOURS = {
    "answer": discord.Colour.blurple(),
    "refusal": discord.Colour.light_grey(),
    "passages": discord.Colour.blurple(),
    "summary": discord.Colour.teal(),
    "status": discord.Colour.dark_teal(),
    "content": discord.Colour.green(),
}

NO_MENTIONS = discord.AllowedMentions.none()

# -- escaping ------------------------------------------------------------------------------

_ALWAYS = set("\\*_~`|<>[]#")
_LINE_START = set("-+")
_SPECIAL = re.compile(r"[\\*_~`|<>\[\]#\n\r]|(?m:^[ \t]*[-+]|^[ \t]*\d+\.)")
_LIST_DOT = re.compile(r"(?m)^[ \t]*\d+(\.)(?=\s)")


def _escaped_chars(text: str, quoted: bool = False) -> list[str]:
    """Each character of text as it must be written for Discord to show it as is.

    One entry per character, so that text can be cut anywhere without breaking an escape.
    With quoted, a line break continues the block quote.
    """
    if not _SPECIAL.search(text):  # the common case: nothing to escape
        return list(text)
    dots = {m.start(1) for m in _LIST_DOT.finditer(text)}
    out = []
    line_start = True
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append("\n> " if quoted else "\n")
            line_start = True
            continue
        if ch in _ALWAYS or i in dots or (line_start and ch in _LINE_START):
            out.append("\\" + ch)
        elif ch == "\r":
            out.append("")
        else:
            out.append(ch)
        if not ch.isspace():
            line_start = False
    return out


def escape(text: str) -> str:
    """Markdown in text escaped, so Discord shows it as written."""
    return "".join(_escaped_chars(text))


def clip(text: str, limit: int) -> str:
    """Text (already escaped or plain) cut to limit characters, ending in an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:  # never leave a lone backslash to escape the ellipsis
        cut = cut[:-1]
    return cut + ELLIPSIS


def clip_escaped(text: str, limit: int) -> str:
    """Plain text escaped and cut to limit, cutting between escapes, never inside one."""
    chars = _escaped_chars(text)
    total = sum(map(len, chars))
    if total <= limit:
        return "".join(chars)
    out, used = [], 0
    for piece in chars:
        if used + len(piece) > limit - 1:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out).rstrip() + ELLIPSIS


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- quotes ----------------------------------------------------------------------------------

def quote_body(quote: Quote, budget: int) -> str | None:
    """The quote's text escaped and fitted to budget characters, the answer span in bold.

    When the passage is too long, a window around the answer span is kept (or its start when
    there is none), cut at word boundaries, with an ellipsis where text was left out.
    """
    text = quote.text
    pieces = _escaped_chars(text, quoted=True)
    sums = [0, *accumulate(map(len, pieces))]
    n = len(text)
    mark = quote.mark if quote.mark and 0 <= quote.mark[0] < quote.mark[1] <= n else None

    def cost(a: int, b: int) -> int:
        extra = (1 if a > 0 else 0) + (1 if b < n else 0)
        if mark and a < mark[1] and b > mark[0]:
            extra += 4  # ** **
        return sums[b] - sums[a] + extra

    if budget < 8:
        return None
    if cost(0, n) <= budget:
        a, b = 0, n
    else:
        a, b = (mark[0], mark[0]) if mark else (0, 0)
        grow_right = True
        while True:
            moved = False
            for side in ((True, False) if grow_right else (False, True)):
                if side and b < n and cost(a, b + 1) <= budget:
                    b += 1
                    moved = True
                elif not side and a > 0 and cost(a - 1, b) <= budget:
                    a -= 1
                    moved = True
            if not moved:
                break
            # around an answer, grow both ways; otherwise keep the start and grow to the right
            grow_right = not grow_right if mark else True
        if b <= a:
            return None
        a, b = _word_bounds(text, a, b, mark)
    body = []
    if a > 0:
        body.append(ELLIPSIS)
    if mark and a < mark[1] and b > mark[0]:
        ms, me = max(mark[0], a), min(mark[1], b)
        body += [*pieces[a:ms], "**", *pieces[ms:me], "**", *pieces[me:b]]
    else:
        body += pieces[a:b]
    if b < n:
        body.append(ELLIPSIS)
    return "".join(body)


def _word_bounds(text: str, a: int, b: int, mark) -> tuple[int, int]:
    """Narrow [a, b) to whole words, without cutting into the answer span or emptying it."""
    keep_a = mark[0] if mark else b
    keep_b = mark[1] if mark else a
    if a > 0 and not text[a - 1].isspace():
        space = text.find(" ", a, min(keep_a, a + 40))
        if space != -1:
            a = space + 1
    if b < len(text) and not text[b].isspace():
        space = text.rfind(" ", max(keep_b, b - 40, a + 1), b)
        if space != -1:
            b = space
    return a, b


def quote_block(quote: Quote, budget: int) -> str | None:
    """The quote as a Markdown block quote with its citation, within budget characters."""
    wanted = sum(map(len, _escaped_chars(quote.text, quoted=True))) + (4 if quote.mark else 0)
    citation = citation_line(quote, budget - 3 - min(wanted, MIN_QUOTE))
    body = quote_body(quote, budget - len(citation) - 3)  # "> " and the line break
    if body is None:
        return None
    return f"> {body}\n{citation}"


def citation_line(quote: Quote, room: int) -> str:
    """The citation, a link to the page at the passage when the quote has one and it fits in
    `room` (else to the page, else none: the quote comes first). Links in an embed get no
    preview, so they need no <...>; a link holds no '@' or '<' (index/answering/links.py)."""
    cited = clip_escaped(_one_line(quote.citation), 300)
    if quote.link:
        for link in (quote.link, quote.link.split("#", 1)[0]):
            line = f"> — *[{cited}]({link})*"
            if len(link) <= LINK_AT_MOST and len(line) <= room:
                return line
    return f"> — *{cited}*"


# -- Discord ---------------------------------------------------------------------------------

def _description(reply: Reply, limit: int) -> str:
    head = []
    if reply.answer:
        head.append("**" + clip_escaped(_one_line(reply.answer), 1000) + "**")
    if reply.lead:
        head.append(clip_escaped(reply.lead, 1500))
    if reply.quote_label and reply.quotes:
        head.append(clip_escaped(reply.quote_label, 200))
    text = "\n".join(head)
    for i, quote in enumerate(reply.quotes):
        sep = "\n\n" if text else ""
        room = limit - len(text) - len(sep)
        if i > 0 and room < MIN_QUOTE:
            break
        block = quote_block(quote, room)
        if block is None:
            break
        text += sep + block
    return clip(text, limit)


def _fact_value(value) -> str:
    if isinstance(value, dt.datetime):
        return f"<t:{int(value.timestamp())}:f> (<t:{int(value.timestamp())}:R>)"
    return clip_escaped(str(value), FIELD_VALUE) or "-"


def embed(reply: Reply) -> discord.Embed:
    """The reply as one embed, within every embed limit (checked again at the end)."""
    title = clip_escaped(_one_line(reply.title), TITLE) if reply.title else None
    colour = COLOURS.get(reply.kind, discord.Colour.blurple())
    footer = clip(_one_line(reply.footer), FOOTER) if reply.footer else None
    fixed = len(title or "") + len(footer or "")
    # all embeds of a message share 6,000 characters: fields get what the description leaves
    has_description = bool(reply.answer or reply.lead or reply.quotes)
    room = EMBEDS_TOTAL - fixed - (min(DESCRIPTION, 1500) if has_description else 0)
    fields = []
    for fact in reply.facts[:FIELDS]:
        name = clip_escaped(_one_line(fact.name), FIELD_NAME) or "-"
        value = _fact_value(fact.value)
        if len(name) + len(value) > room:
            value = clip(value, room - len(name))
            if room - len(name) < 20:
                break
        fields.append((name, value))
        room -= len(name) + len(value)
    fixed += sum(len(n) + len(v) for n, v in fields)
    description = _description(reply, min(DESCRIPTION, EMBEDS_TOTAL - fixed)) or None
    out = discord.Embed(title=title, description=description, colour=colour)
    for name, value in fields:
        out.add_field(name=name, value=value, inline=True)
    if footer:
        out.set_footer(text=footer)
    if len(out) > EMBEDS_TOTAL and out.description:  # cannot happen by construction; kept anyway
        out.description = clip(out.description, max(len(out.description) - (len(out) - EMBEDS_TOTAL), 1))
    return out


def content(reply: Reply) -> str:
    """A short reply (notice or error) as message content."""
    return clip_escaped(reply.lead or "", CONTENT)


def message(reply: Reply) -> dict:
    """Keyword arguments for send_message / followup.send / Message.reply."""
    if reply.kind in ("notice", "error"):
        return {"content": content(reply), "allowed_mentions": NO_MENTIONS}
    return {"embed": embed(reply), "allowed_mentions": NO_MENTIONS}


def edit(reply: Reply) -> dict:
    """Keyword arguments for edit_original_response: the reply replaces the whole message
    (a progress line's content, or an earlier embed)."""
    kwargs = message(reply)
    kwargs.setdefault("content", None)
    kwargs.setdefault("embed", None)
    return kwargs


# -- console text ----------------------------------------------------------------------------

def text(reply: Reply) -> str:
    """The same reply as plain text for the console: nothing cut, nothing escaped."""
    lines: list[str] = []
    if reply.title and reply.kind not in ("answer", "refusal"):
        lines.append(reply.title)
    if reply.answer:
        lines.append(f"Answer: {reply.answer}")
    if reply.lead:
        lines.append(reply.lead)
    if reply.quote_label and reply.quotes:
        lines.append(reply.quote_label)
    for quote in reply.quotes:
        body = quote.text
        if quote.mark:
            s, e = quote.mark
            body = f"{body[:s]}«{body[s:e]}»{body[e:]}"
        lines.append(f"  “{body}”")
        lines.append(f"    — {quote.citation}")
        if quote.link:
            lines.append(f"      {quote.link}")
    for fact in reply.facts:
        value = fact.value
        if isinstance(value, dt.datetime):
            value = value.astimezone().isoformat(timespec="seconds")
        lines.append(f"  {fact.name}: {value}")
    if reply.footer:
        lines.append(f"({reply.footer})")
    return "\n".join(lines)

"""Fetching a page by URL for a moderator, without letting the URL reach inside our network.

Only http(s). The host name is resolved here and every address it resolves to must be public
(no loopback, private, link-local, shared, reserved or multicast address); the connection then
goes to that checked address, so a second DNS answer cannot swap in another one. Redirects are
followed by hand and each new URL is checked the same way. The whole fetch has one time limit
(a watchdog closes the socket when it runs out) and the body one size limit, enforced while
reading.
"""
from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from index.ingest.documents import ReadError
from index.ingest.reading import SUFFIXES

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "Verbatim/0.1 (+article indexer; fetches one page a moderator asked for)"
KINDS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text",
         "text/markdown": "markdown", "text/x-markdown": "markdown",
         "application/pdf": "pdf",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}
SUFFIX_OF_KIND = {"text": ".txt", "markdown": ".md", "html": ".html", "pdf": ".pdf", "docx": ".docx",
                  "feed": ".xml"}
# A feed's content types (index/ingest/feeds.py): its bytes go to the feed parser as they came, the
# XML saying its own encoding. Servers often label feeds as plain text or HTML; the parser tells.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "text/plain", "text/html")
ACCEPT = {"pages": "text/html, text/plain, text/markdown;q=0.9",
          "feeds": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9"}
RAW_KINDS = ("pdf", "docx", "feed")  # read as they came, not converted to UTF-8


class FetchError(ReadError):
    """A URL we will not or could not fetch; the message says which and why."""


@dataclass
class Fetched:
    url: str  # after redirects
    data: bytes  # the body, as UTF-8
    kind: str  # the reader: "html", "text" or "markdown"
    name: str  # a document name made from the URL


def refusal(address: str) -> str | None:
    """Why an address may not be fetched from, or None when it is a public one."""
    ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone id
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:  # an IPv4 address dressed as IPv6 is judged as itself
            return refusal(str(embedded))
    for reason, bad in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                        ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                        ("reserved", ip.is_reserved), ("private", ip.is_private)):
        if bad:
            return reason
    return None if ip.is_global else "not public"


def resolve(host: str, port: int, allow_loopback: bool = False) -> str:
    """The address to connect to: every address the name resolves to must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{host}: the name does not resolve ({exc})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        reason = refusal(address)
        if reason == "loopback" and allow_loopback:
            continue
        if reason:
            raise FetchError(f"{host} resolves to {address}, a {reason} address: "
                             f"only pages on the public internet can be fetched")
    if not addresses:
        raise FetchError(f"{host}: the name does not resolve")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address we checked, whatever the name would resolve to now."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # checks the name's certificate


def fetch(url: str, timeout: float = 10.0, max_bytes: int = 2_000_000,
          allow_loopback: bool = False, feed: bool = False) -> Fetched:
    """The page at `url`, or FetchError; with `feed`, an RSS or Atom feed's bytes (FEED_TYPES).
    `allow_loopback` exists for tests against a local server."""
    deadline = time.monotonic() + timeout
    current = url.strip()
    for _ in range(MAX_REDIRECTS + 1):
        host, port, target = _check_url(current)
        address = resolve(host, port, allow_loopback)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{url}: took longer than {timeout:g} s")
        cls = _PinnedHTTPS if urlsplit(current).scheme == "https" else _PinnedHTTP
        conn = cls(host, address, port, timeout=remaining)
        watchdog = threading.Timer(remaining, _close, (conn,))
        watchdog.start()
        try:
            response = _get(conn, current, target, host, port, url, timeout,
                            ACCEPT["feeds" if feed else "pages"])
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{current}: a redirect without a Location")
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise FetchError(f"{current}: the server answered {response.status} {response.reason}")
            kind = _kind(response, current, feed)
            data = _read_body(response, max_bytes, deadline, url, timeout)
            if kind not in RAW_KINDS:
                data = _to_utf8(data, response, current)
            return Fetched(current, data, kind, name_for_url(current, kind))
        finally:
            watchdog.cancel()
            conn.close()
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _check_url(url: str) -> tuple[str, int, str]:
    """(host, port, request target) of an http(s) URL, or FetchError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"{url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url!r}: only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"{url!r} names no host")
    if parts.username or parts.password:
        raise FetchError(f"{url!r}: URLs with a user name or password are not fetched")
    if any(ord(ch) < 33 for ch in url):
        raise FetchError(f"{url!r}: spaces or control characters in the URL")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80), target


def _get(conn, current: str, target: str, host: str, port: int, url: str, timeout: float, accept: str):
    default_port = 443 if isinstance(conn, _PinnedHTTPS) else 80
    try:
        conn.request("GET", target, headers={
            "Host": host if port == default_port else f"{host}:{port}",
            "User-Agent": USER_AGENT, "Accept": accept,
            "Accept-Encoding": "identity"})
        return conn.getresponse()
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, TimeoutError) or _closed(conn):
            raise FetchError(f"{url}: took longer than {timeout:g} s") from None
        raise FetchError(f"{current}: cannot fetch: {exc}") from None


def _read_body(response, max_bytes: int, deadline: float, url: str, timeout: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"{url}: the page is {int(length):,} bytes; the limit is {max_bytes:,}")
    body = bytearray()
    while True:
        try:
            chunk = response.read1(CHUNK)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if time.monotonic() >= deadline or isinstance(exc, TimeoutError):
                raise FetchError(f"{url}: took longer than {timeout:g} s") from None
            raise FetchError(f"{url}: the connection broke while reading the page") from None
        if time.monotonic() >= deadline:  # also when the watchdog's shutdown ended the read early
            raise FetchError(f"{url}: took longer than {timeout:g} s")
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"{url}: the page is over the limit of {max_bytes:,} bytes")


def _kind(response, url: str, feed: bool) -> str:
    content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if feed:
        if not content_type or content_type in FEED_TYPES:
            return "feed"
        raise FetchError(f"{url}: not an RSS or Atom feed (content type {content_type!r})")
    if content_type in KINDS:
        return KINDS[content_type]
    suffix = re.search(r"\.[a-z]+$", urlsplit(url).path.lower())
    if not content_type and suffix and suffix.group() in SUFFIXES:
        return SUFFIXES[suffix.group()]
    raise FetchError(f"{url}: not a web page or text (content type {content_type or 'unknown'!r})")


def _to_utf8(data: bytes, response, url: str) -> bytes:
    """The body in UTF-8, which is what the readers take; an unknown charset is refused."""
    match = re.search(r"charset=[\"']?([\w.:-]+)", response.getheader("Content-Type") or "", re.I)
    charset = match.group(1).lower() if match else "utf-8"
    if charset in ("utf-8", "utf8", "us-ascii", "ascii"):
        return data
    try:
        return data.decode(charset).encode("utf-8")
    except LookupError:
        raise FetchError(f"{url}: unknown text encoding {charset!r}") from None
    except UnicodeDecodeError:
        raise FetchError(f"{url}: the page is not valid {charset} text") from None


def name_for_url(url: str, kind: str) -> str:
    """A document name from a URL: host and last path segment, safe as a file name."""
    parts = urlsplit(url)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) if parts.path.strip("/") else ""
    stem = re.sub(r"\.(html?|txt|md|markdown|php|aspx?|pdf|docx)$", "", last, flags=re.I)
    name = "-".join(x for x in (parts.hostname or "page", stem) if x)
    name = re.sub(r"[^\w.-]+", "-", name).strip("-.")[:120] or "page"
    return name + SUFFIX_OF_KIND[kind]


def _close(conn) -> None:
    """The watchdog: wakes a read blocked past the time limit."""
    conn._timed_out = True
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _closed(conn) -> bool:
    return getattr(conn, "_timed_out", False)

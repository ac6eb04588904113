"""Fetching a URL: only public addresses (after DNS, on every redirect), a time and a size limit."""
from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index.ingest import fetching
from index.ingest.fetching import FetchError, fetch, name_for_url, refusal

ARTICLE = """<html><head><title>Harbour news</title></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<article><h1>The harbour reopens after the storm</h1>
<p>The harbour of Port Elwyn reopened on Monday after a storm closed it for nine days, the
harbour master said in a statement to fishermen and ferry operators.</p>
<p>Repairs to the northern breakwater cost about two million euros and were paid for by the
regional council, which had set money aside for storms after the floods of 2019.</p>
<p>Ferries to the islands will run to the summer timetable from next week, the operator said.</p>
</article><footer>Copyright Example News. Subscribe to our newsletter.</footer></body></html>"""


@pytest.mark.parametrize("address, reason", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.9", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("fe80::1%eth0", "link-local"),
    ("fd00::5", "private"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "reserved"),
    ("100.64.0.1", "not public"),  # carrier-grade NAT
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
    ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
])
def test_non_public_addresses_are_refused(address, reason):
    assert refusal(address) == reason


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert refusal(address) is None


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "only http"), ("ftp://example.com/a.txt", "only http"),
    ("javascript:alert(1)", "only http"), ("gopher://example.com", "only http"),
    ("http://", "no host"), ("http://user:pw@example.com/", "user name or password"),
    ("http://example.com:99999/", "not a valid URL"), ("http://exa mple.com/", "spaces or control"),
])
def test_bad_urls_are_refused_before_any_connection(url, message, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    with pytest.raises(FetchError, match=message):
        fetch(url)


def _no_dns(*args, **kwargs):
    raise AssertionError("DNS must not be asked")


def _fake_dns(mapping):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in mapping[host]]
    return getaddrinfo


@pytest.mark.parametrize("addresses", [["10.0.0.7"], ["93.184.216.34", "192.168.0.2"], ["::1"]])
def test_names_are_checked_after_dns_resolution(addresses, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _fake_dns({"news.example": addresses}))
    monkeypatch.setattr(socket, "create_connection", _no_dns)  # refused before connecting
    with pytest.raises(FetchError, match="only pages on the public internet"):
        fetch("http://news.example/story.html")


class Server:
    """A local HTTP server whose routes tests set: path -> (status, headers, body or callable)."""

    def __init__(self):
        self.routes: dict[str, tuple] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, headers, body = routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if callable(body):
                    self.end_headers()
                    body(self.wfile)
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_a_local_server_is_refused_as_loopback(server):
    server.routes["/a.html"] = (200, HTML, ARTICLE.encode())
    with pytest.raises(FetchError, match="loopback"):
        fetch(server.url + "/a.html")
    with pytest.raises(FetchError, match="loopback"):
        fetch(server.url.replace("127.0.0.1", "localhost") + "/a.html")


def test_fetching_a_page_when_loopback_is_allowed_for_tests(server):
    server.routes["/news/harbour-reopens.html"] = (200, HTML, ARTICLE.encode())
    page = fetch(server.url + "/news/harbour-reopens.html", allow_loopback=True)
    assert page.kind == "html" and page.data == ARTICLE.encode()
    assert page.name == "127.0.0.1-harbour-reopens.html"


def test_every_redirect_is_checked(server, monkeypatch):
    server.routes["/moved"] = (302, {"Location": "http://internal.example/admin"}, b"")
    monkeypatch.setattr(socket, "getaddrinfo", _fake_dns({"127.0.0.1": ["127.0.0.1"],
                                                          "internal.example": ["10.0.0.5"]}))
    with pytest.raises(FetchError, match="10.0.0.5, a private address"):
        fetch(server.url + "/moved", allow_loopback=True)


def test_redirects_are_followed_and_limited(server):
    server.routes["/old"] = (301, {"Location": "/new.html"}, b"")
    server.routes["/new.html"] = (200, HTML, ARTICLE.encode())
    assert fetch(server.url + "/old", allow_loopback=True).url.endswith("/new.html")
    server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match="redirects"):
        fetch(server.url + "/loop", allow_loopback=True)


def test_the_size_limit_holds_with_and_without_a_length(server):
    server.routes["/big"] = (200, HTML, b"x" * 5000)
    with pytest.raises(FetchError, match="limit is 1,000"):
        fetch(server.url + "/big", max_bytes=1000, allow_loopback=True)

    def endless(out):  # no Content-Length: the limit must hold while reading
        for _ in range(100):
            out.write(b"y" * 1000)
    server.routes["/stream"] = (200, HTML, endless)
    with pytest.raises(FetchError, match="over the limit of 1,000"):
        fetch(server.url + "/stream", max_bytes=1000, allow_loopback=True)


def test_the_time_limit_holds_for_a_slow_server(server):
    def drip(out):  # a byte every 0.2 s, each read well inside any per-read timeout
        for _ in range(50):
            out.write(b"z")
            out.flush()
            time.sleep(0.2)
    server.routes["/slow"] = (200, HTML, drip)
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 1 s"):
        fetch(server.url + "/slow", timeout=1.0, allow_loopback=True)
    assert time.monotonic() - started < 2.0


def test_errors_and_content_types(server):
    server.routes["/img"] = (200, {"Content-Type": "image/png"}, b"\x89PNG....")
    with pytest.raises(FetchError, match="content type 'image/png'"):
        fetch(server.url + "/img", allow_loopback=True)
    with pytest.raises(FetchError, match="404"):
        fetch(server.url + "/missing", allow_loopback=True)


def test_charsets_are_converted_or_refused(server):
    latin = "<html><body><article><p>Caf\u00e9 cr\u00e8me, na\u00efve.</p></article></body></html>"
    server.routes["/latin"] = (200, {"Content-Type": "text/html; charset=iso-8859-1"}, latin.encode("latin-1"))
    assert fetch(server.url + "/latin", allow_loopback=True).data == latin.encode("utf-8")
    server.routes["/odd"] = (200, {"Content-Type": "text/plain; charset=x-unheard-of"}, b"hello")
    with pytest.raises(FetchError, match="unknown text encoding"):
        fetch(server.url + "/odd", allow_loopback=True)


def test_names_made_from_urls_are_plain_file_names():
    assert name_for_url("https://news.example.com/2015/11/putin-calls.html", "html") == \
        "news.example.com-putin-calls.html"
    assert name_for_url("https://news.example.com/", "html") == "news.example.com.html"
    assert name_for_url("https://x.example/a/..%2F..%2Fetc%2Fpasswd", "text") == "x.example-..-..-etc-passwd.txt"
    assert "/" not in name_for_url("https://x.example/%2F%00weird", "text")


def test_connection_refused_is_a_clear_error(monkeypatch):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch(f"http://127.0.0.1:{port}/", allow_loopback=True)


def test_fetch_module_has_no_proxy_or_env_shortcuts():
    # urllib would honour http_proxy and friends; the pinned connections never look at them.
    assert not hasattr(fetching, "urlopen")

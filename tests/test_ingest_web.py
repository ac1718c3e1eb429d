"""sahelwatch.ingest.web: pages and RSS/Atom feeds fetched from a real HTTP server on 127.0.0.1."""
from __future__ import annotations

import functools
import http.server
import re
import threading
import typing

import pytest

from sahelwatch.ingest.files import InputError
from sahelwatch.ingest.web import FetchError, check_url, fetch, is_url, read_sources, read_urls, web_doc_id

ARTICLE = """<!doctype html><html><head><title>{title}</title>
<meta property="article:published_time" content="{date}"></head><body><article>
<h1>{title}</h1>
<p>{town}, {date} - Armed men on motorbikes attacked a military post near {town} early on Tuesday,
the defence ministry said in a statement read on national television in the evening.</p>
<p>The statement said that six soldiers were killed and that reinforcements were sent to the area,
where the attackers withdrew towards the border after several hours of fighting.</p>
<p>Residents reached by telephone described heavy gunfire and said that many families had left their
homes for the nearby town, fearing further attacks on the road to the regional capital.</p>
</article></body></html>"""

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Wire</title>
<link>{base}/</link><description>test feed</description>
{items}</channel></rss>"""
RSS_ITEM = "<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Sahel Wire</title><id>urn:test</id><updated>2024-05-22T10:00:00Z</updated>
{items}</feed>"""
ATOM_ITEM = ("<entry><title>{title}</title><link href=\"{link}\"/><id>{link}</id>"
             "<updated>{iso}T08:00:00Z</updated><published>{iso}T08:00:00Z</published></entry>")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: typing.ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".xml": "application/rss+xml",
                      ".atom": "application/atom+xml", ".html": "text/html; charset=utf-8"}

    hosts: typing.ClassVar[list[str]] = []  # the Host header of each request, in order

    def do_GET(self) -> None:
        Handler.hosts.append(self.headers.get("Host", ""))
        if self.path.startswith("/redirect/"):
            self.send_response(302)
            self.send_header("Location", "/" + self.path[len("/redirect/"):])
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site(tmp_path):
    """A real HTTP server on 127.0.0.1 serving the files the test writes into ``site.root``."""
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Site:
        base = f"http://127.0.0.1:{server.server_address[1]}"

        def __init__(self):
            self.root = root

        def page(self, name: str, town: str, date: str = "2024-05-21") -> str:
            (root / name).write_text(ARTICLE.format(title=f"Attack near {town}", town=town, date=date), "utf-8")
            return f"{self.base}/{name}"

        def feed(self, name: str, kind: str, pages: list[tuple[str, str]]) -> str:
            if kind == "rss":
                items = "".join(RSS_ITEM.format(title=f"Attack near {t}", link=link,
                                                date="Wed, 22 May 2024 08:00:00 GMT") for link, t in pages)
                (root / name).write_text(RSS.format(base=self.base, items=items), "utf-8")
            else:
                items = "".join(ATOM_ITEM.format(title=f"Attack near {t}", link=link, iso="2024-05-22")
                                for link, t in pages)
                (root / name).write_text(ATOM.format(items=items), "utf-8")
            return f"{self.base}/{name}"

    yield Site()
    server.shutdown()
    server.server_close()


def test_a_page_becomes_a_document_with_its_text_title_url_and_date(site):
    url = site.page("boni.html", "Boni")
    [doc] = list(read_urls([url], allow_private=True))
    assert "military post near Boni" in doc.text
    assert doc.url == url and doc.title == "Attack near Boni" and doc.doc_id == web_doc_id(url)
    assert str(doc.published) == "2024-05-21"


@pytest.mark.parametrize(("kind", "name"), [("rss", "feed.xml"), ("atom", "feed.atom")])
def test_a_feed_yields_each_entry_page(site, kind, name):
    pages = [(site.page("a.html", "Tera"), "Tera"), (site.page("b.html", "Makalondi"), "Makalondi")]
    feed = site.feed(name, kind, pages)
    docs = list(read_urls([feed], allow_private=True))
    assert [d.url for d in docs] == [p for p, _ in pages]
    assert "near Tera" in docs[0].text and "near Makalondi" in docs[1].text
    assert all(not isinstance(d, InputError) for d in docs)


def test_feed_entries_already_stored_are_not_fetched_again(site):
    a, b = site.page("a.html", "Tera"), site.page("b.html", "Inates")
    feed = site.feed("feed.xml", "rss", [(a, "Tera"), (b, "Inates")])
    (site.root / "a.html").unlink()  # would fail if fetched
    docs = list(read_urls([feed], allow_private=True, known=lambda url: url == a))
    assert [d.url for d in docs] == [b]


def test_a_broken_feed_entry_is_one_error_and_the_others_still_come(site):
    good = site.page("good.html", "Tera")
    feed = site.feed("feed.xml", "rss", [(f"{site.base}/missing.html", "Nowhere"), (good, "Tera")])
    items = list(read_urls([feed], allow_private=True))
    assert isinstance(items[0], InputError) and "missing.html" in str(items[0]) and "HTTP 404" in str(items[0])
    assert items[1].url == good


def test_redirects_are_followed(site):
    site.page("target.html", "Boni")
    [doc] = list(read_urls([f"{site.base}/redirect/target.html"], allow_private=True))
    assert "near Boni" in doc.text


@pytest.mark.parametrize(("url", "message"), [
    ("http://127.0.0.1:9/x.html", "non-public address"),
    ("http://localhost/x.html", "non-public address"),
    ("http://10.1.2.3/x.html", "non-public address"),
    ("http://169.254.169.254/latest/meta-data", "non-public address"),
    ("http://[::1]/x", "non-public address"),
    ("ftp://example.org/report.txt", "only http(s)"),
    ("file:///etc/passwd", "only http(s)"),
])
def test_unsafe_urls_are_refused(url, message):
    with pytest.raises(FetchError, match=re.escape(message)):
        check_url(url)
    [item] = list(read_urls([url]))
    assert isinstance(item, InputError) and message in str(item) and url in str(item)


def test_a_private_address_is_refused_unless_allowed(site):
    url = site.page("boni.html", "Boni")
    [item] = list(read_urls([url]))
    assert isinstance(item, InputError) and "--allow-private" in str(item)
    [doc] = list(read_urls([url], allow_private=True))
    assert doc.url == url


def test_read_sources_mixes_files_and_urls_in_order(site, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Soldiers repelled an attack on a convoy near Ansongo on Sunday.", "utf-8")
    url = site.page("boni.html", "Boni")
    items = list(read_sources([str(note), url, str(tmp_path / "absent.txt")], allow_private=True))
    assert items[0].doc_id == "note" and items[1].url == url
    assert isinstance(items[2], InputError) and "absent.txt" in str(items[2])


@pytest.mark.parametrize(("item", "url"), [("https://x.org/a", True), ("ftp://x", True), ("reports/a.txt", False),
                                           ("-", False)])
def test_is_url(item, url):
    assert is_url(item) is url


# --- issue 13, item 8: only public addresses, resolved once and connected to as checked ----------
@pytest.mark.parametrize("host", [
    "100.64.0.1", "100.100.100.200",  # carrier-grade NAT; a cloud metadata address in it
    "[fec0::1]",  # IPv6 site-local
    "[2002:7f00:1::]", "[2002:a00:1::]",  # 6to4 of 127.0.0.1 and of 10.0.0.1
    "[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]",  # IPv4-mapped
    "[64:ff9b::7f00:1]", "[::127.0.0.1]",  # NAT64 and IPv4-compatible forms of loopback
    "0.0.0.0", "192.0.0.170", "198.18.0.1", "240.0.0.1", "255.255.255.255",  # special-purpose v4
    "224.0.0.1", "[ff02::1]",  # multicast
    "[fd00:ec2::254]", "[fe80::1]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",  # ULA, link-local, Teredo
])
def test_non_public_addresses_are_refused(host):
    url = f"http://{host}/latest/meta-data"
    with pytest.raises(FetchError, match="non-public address.*--allow-private"):
        check_url(url)
    [item] = list(read_urls([url]))
    assert isinstance(item, InputError) and "non-public address" in str(item)


@pytest.mark.parametrize("host", ["8.8.8.8", "[2606:4700:4700::1111]", "[2002:808:808::1]", "[::ffff:8.8.8.8]",
                                  "[64:ff9b::808:808]"])
def test_public_addresses_pass_the_check(host):
    check_url(f"https://{host}/report.html")  # the check only: nothing is fetched


def test_a_name_resolving_to_any_non_public_address_is_refused():
    with pytest.raises(FetchError, match=r"non-public address \(100\.64\.0\.1\)"):
        check_url("http://news.example/", resolve=lambda host, port: ["8.8.8.8", "100.64.0.1"])


def test_the_host_is_resolved_once_per_hop_and_connected_to_as_checked(site):
    """A name no DNS knows, resolved by the caller: the fetch can only have reached the local server
    through the address the check saw, and the server still sees the URL's own Host header."""
    site.page("target.html", "Boni")
    port = site.base.rsplit(":", 1)[1]
    asked: list[tuple[str, int]] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append((host, port))
        return ["127.0.0.1"]

    Handler.hosts.clear()
    import httpx

    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        final, _ctype, body = fetch(f"http://sahel.invalid:{port}/redirect/target.html", client,
                                    allow_private=True, resolve=resolve)
    assert b"near Boni" in body and final == f"http://sahel.invalid:{port}/target.html"
    assert asked == [("sahel.invalid", int(port))] * 2  # each hop: one resolution
    assert Handler.hosts == [f"sahel.invalid:{port}"] * 2


@pytest.fixture
def tls_site(tmp_path):
    """An https server on 127.0.0.1 whose certificate is for the name sahel.invalid only."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=sahel.invalid", "-addext", "subjectAltName=DNS:sahel.invalid", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    root = tmp_path / "www"
    root.mkdir()
    (root / "a.html").write_text(ARTICLE.format(title="Attack near Tera", town="Tera", date="2024-05-21"), "utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], ssl.create_default_context(cafile=str(cert))
    server.shutdown()
    server.server_close()


def test_https_to_the_checked_address_keeps_the_name_for_sni_and_the_certificate(tls_site):
    import httpx

    port, trust = tls_site
    with httpx.Client(verify=trust, trust_env=False) as client:
        _final, _ctype, body = fetch(f"https://sahel.invalid:{port}/a.html", client, allow_private=True,
                                     resolve=lambda host, port: ["127.0.0.1"])
        assert b"near Tera" in body
        with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED|certificate|hostname"):
            fetch(f"https://other.invalid:{port}/a.html", client, allow_private=True,
                  resolve=lambda host, port: ["127.0.0.1"])

"""sahelwatch.ingest.web: pages and RSS/Atom feeds fetched from a real HTTP server on 127.0.0.1."""
from __future__ import annotations

import functools
import http.server
import re
import threading
import typing

import pytest

from sahelwatch.ingest.files import InputError
from sahelwatch.ingest.web import FetchError, check_url, is_url, read_sources, read_urls, web_doc_id

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

    def do_GET(self) -> None:
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
    ("http://127.0.0.1:9/x.html", "private or loopback address"),
    ("http://localhost/x.html", "private or loopback address"),
    ("http://10.1.2.3/x.html", "private or loopback address"),
    ("http://169.254.169.254/latest/meta-data", "private or loopback address"),
    ("http://[::1]/x", "private or loopback address"),
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

"""Web inputs -> Documents: http(s) pages and RSS/Atom feeds (each entry's page fetched).

Only http and https. Hosts that resolve to private, loopback, link-local, carrier-grade NAT or
otherwise non-public addresses are refused unless ``allow_private`` (so a feed cannot make
sahelwatch fetch from the machine's own network or a cloud metadata service); each host is
resolved once and connected to at the address checked (no DNS rebinding between check and
connection); redirects are checked the same way, hop by hop.
Bad input never raises: it yields an InputError naming the URL.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from sahelwatch.ingest.files import InputError, decode, html_to_document, read_inputs
from sahelwatch.model import Document

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 10_000_000
MAX_REDIRECTS = 5
USER_AGENT = "sahelwatch/0.1 (+conflict event monitoring; offline-first)"
_FEED_TYPES = ("rss", "atom", "xml")


class FetchError(Exception):
    """A URL that could not be fetched, with a one-line reason."""


def is_url(item: str) -> bool:
    """True for anything written as scheme://..., which ingest treats as a URL (and refuses unless http(s))."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", item))


Resolver = Callable[[str, int], list[str]]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: an IPv4 address in its last 32 bits
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d


def is_public_address(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address on the public internet, which a fetch may connect to.

    ``is_global`` (so no private, loopback, link-local, carrier-grade NAT 100.64.0.0/10 with its cloud
    metadata addresses, benchmarking or reserved ranges), not multicast, not IPv6 site-local
    (fec0::/10); an IPv6 address that carries an IPv4 one (IPv4-mapped, 6to4 2002::/16, NAT64
    64:ff9b::/96) only when that IPv4 address is public itself.
    """
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return is_public_address(addr.ipv4_mapped)
        if addr.sixtofour is not None and not is_public_address(addr.sixtofour):
            return False
        if addr in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
        if addr in _IPV4_COMPATIBLE or addr.is_site_local:
            return False
    return addr.is_global and not addr.is_multicast


def resolve_host(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to (an IP literal: itself), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _parse(url: str) -> httpx.URL:
    import httpx

    try:
        parts = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http(s) URLs can be ingested, not {parts.scheme}://")
    if not parts.raw_host:
        raise FetchError("URL has no host")
    return parts


def check_url(url: str, allow_private: bool = False, resolve: Resolver | None = None) -> str:
    """The one address to connect to for an http(s) URL: its host resolved once, every address it
    resolves to public (``is_public_address``) unless ``allow_private``; FetchError otherwise."""
    parts = _parse(url)
    host = parts.raw_host.decode("ascii")
    try:
        addresses = (resolve or resolve_host)(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from None
    if not addresses:
        raise FetchError(f"host {host!r} resolves to no address")
    for address in addresses:
        try:
            addr = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            raise FetchError(f"host {host!r} resolves to {address!r}, not an IP address") from None
        if not allow_private and not is_public_address(addr):
            raise FetchError(f"host {host!r} resolves to a non-public address ({addr}); "
                             "pass --allow-private to fetch it anyway")
    return addresses[0].split("%")[0]


def _pinned(url: str, address: str) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The request for ``url`` sent to ``address``: the URL's host swapped for the address, the Host
    header and (https) the TLS server name and certificate check still those of the URL's host."""
    parts = _parse(url)
    extensions = {"sni_hostname": parts.raw_host.decode("ascii")} if parts.scheme == "https" else {}
    return parts.copy_with(host=address), {"Host": parts.netloc.decode("ascii")}, extensions


def fetch(url: str, client: object, allow_private: bool = False,
          resolve: Resolver | None = None) -> tuple[str, str, bytes]:
    """GET a URL, following redirects hop by hop; (final URL, content type, body).

    Each hop's host is resolved once, checked, and connected to at exactly that address, so a name
    that resolves to a public address for the check cannot point elsewhere for the connection."""
    import httpx

    assert isinstance(client, httpx.Client)
    for _ in range(MAX_REDIRECTS + 1):
        target, headers, extensions = _pinned(url, check_url(url, allow_private, resolve))
        try:
            with client.stream("GET", target, headers=headers, extensions=extensions) as resp:
                if resp.is_redirect and resp.headers.get("location"):
                    url = urljoin(url, resp.headers["location"])
                    continue
                if resp.status_code >= 400:
                    raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}")
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        raise FetchError(f"response larger than {MAX_BYTES // 1_000_000} MB")
                return url, resp.headers.get("content-type", ""), bytes(body)
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch: {exc.__class__.__name__}: {exc}") from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def web_doc_id(url: str) -> str:
    """A readable, stable doc_id for a URL: host, last path segment and a short hash."""
    parts = urlsplit(url)
    segment = next((s for s in reversed(parts.path.split("/")) if s), "")
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"\.[a-z]{2,5}$", "", segment.lower())).strip("-")[:60]
    short = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
    return "-".join(p for p in (parts.hostname or "web", slug, short) if p)


def _is_feed(content_type: str, body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return any(t in content_type.lower() for t in _FEED_TYPES) or head.startswith((b"<?xml", b"<rss", b"<feed"))


def _page_document(url: str, content_type: str, body: bytes, published: dt.date | None,
                   source: str | None = None) -> Document:
    text, problem = decode(body)
    if text is None:
        raise FetchError(problem or "unreadable response")
    if "html" in content_type.lower() or text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
        doc = html_to_document(text, web_doc_id(url), url=url, published=published)
        if doc is None:
            raise FetchError("page has no article text that could be extracted")
        if not doc.source:
            doc.source = source or urlsplit(url).hostname
        if published and doc.published is None:
            doc.published = published
        return doc
    if not text.strip():
        raise FetchError("empty response")
    return Document(doc_id=web_doc_id(url), text=text, published=published, url=url,
                    source=source or urlsplit(url).hostname)


def _entry_date(entry: dict) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _feed_documents(feed_url: str, parsed: object, client: object, allow_private: bool,
                    known: Callable[[str], bool] | None) -> Iterator[Document | InputError]:
    feed_title = (parsed.feed.get("title") if hasattr(parsed, "feed") else None) or urlsplit(feed_url).hostname
    for n, entry in enumerate(parsed.entries, 1):  # type: ignore[attr-defined]
        link = entry.get("link")
        if not link:
            yield InputError(feed_url, f"feed entry {n} has no link")
            continue
        link = urljoin(feed_url, link)
        if known is not None and known(link):
            continue
        published = _entry_date(entry)
        try:
            final, ctype, body = fetch(link, client, allow_private)
            doc = _page_document(final, ctype, body, published, source=None)
            doc.url = link
            doc.doc_id = web_doc_id(link)
            if not doc.title and entry.get("title"):
                doc.title = entry["title"]
            if not doc.source or doc.source == urlsplit(final).hostname:
                doc.source = doc.source or feed_title
            yield doc
        except FetchError as exc:
            yield InputError(f"{feed_url} entry {link}", str(exc))


def read_urls(urls: Iterable[str], allow_private: bool = False, known: Callable[[str], bool] | None = None,
              published: dt.date | None = None, timeout: float = 20.0) -> Iterator[Document | InputError]:
    """Documents (or InputErrors) from http(s) pages and RSS/Atom feeds, in order.

    ``known(url)`` lets the caller skip feed entries it has already stored, without fetching them.
    """
    import feedparser
    import httpx

    with httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for url in urls:
            try:
                if known is not None and known(url):
                    continue
                final, ctype, body = fetch(url, client, allow_private)
                if _is_feed(ctype, body):
                    parsed = feedparser.parse(body)
                    if parsed.get("version") or parsed.entries:
                        if not parsed.entries:
                            yield InputError(url, "feed has no entries")
                        yield from _feed_documents(final, parsed, client, allow_private, known)
                        continue
                doc = _page_document(final, ctype, body, published)
                doc.url = url
                yield doc
            except FetchError as exc:
                yield InputError(url, str(exc))


def read_sources(inputs: Iterable[str], published: dt.date | None = None, allow_private: bool = False,
                 known: Callable[[str], bool] | None = None) -> Iterator[Document | InputError]:
    """Everything ``sahelwatch extract`` reads (files, directories, .jsonl, '-') plus URLs and feeds."""
    for item in inputs:
        if is_url(item):
            yield from read_urls([item], allow_private=allow_private, known=known, published=published)
        else:
            yield from read_inputs([item], published=published)

"""Local inputs -> Documents: .txt/.md/.html files, directories of them, .jsonl article files, '-'.

Bad input never raises: it yields an InputError naming the file (and line) so the caller can
report it in one line, go on with the other inputs, and exit non-zero at the end.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sahelwatch.errors import InputError
from sahelwatch.model import MAX_REPORT_BYTES, Document

_SURROGATE = re.compile("[\ud800-\udfff]")
TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# One report larger than this is refused (the limit the pipeline and the API share: model.MAX_REPORT_BYTES,
# the default of Settings.max_doc_bytes; callers holding the settings pass theirs as ``max_bytes``).
MAX_DOC_BYTES = MAX_REPORT_BYTES


def _readable(value: object) -> object:
    """A JSON "\\ud800" is a lone surrogate, which no UTF-8 output or database takes: U+FFFD instead."""
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def parse_date(value: object) -> dt.date | None:
    """An ISO date (or datetime) string -> date; None for empty; ValueError for garbage."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Bytes -> (text, None), or (None, reason) for binary data. Non-UTF-8 text falls back to cp1252."""
    head = data[:8192]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        return None, "binary file (NUL bytes), not a text report"
    for enc in ("utf-8-sig", "utf-16") if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(enc), None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError:
        return data.decode("latin-1"), None


def _doc_id_for(path: Path) -> str:
    return path.stem


def html_to_document(html: str, doc_id: str, url: str | None = None,
                     published: dt.date | None = None) -> Document | None:
    """Main text, title and publication date of an HTML page via trafilatura; None when it has no text."""
    import trafilatura

    # trafilatura logs why it drops a page ("discarding data: None"); the caller says it in one line
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    meta = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                       favor_precision=True)
    if meta is None:
        return None
    data = meta.as_dict() if hasattr(meta, "as_dict") else dict(meta)
    text = (data.get("text") or "").strip()
    if not text:
        return None
    page_date = None
    try:
        page_date = parse_date(data.get("date"))
    except ValueError:
        page_date = None
    title = data.get("title")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return Document(doc_id=doc_id, text=text, published=page_date or published, source=data.get("sitename"),
                    url=url or data.get("url"), title=title)


def _read_file(path: Path, published: dt.date | None, max_bytes: int) -> Iterator[Document | InputError]:
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, published, max_bytes=max_bytes)
        return
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        yield InputError(str(path), f"unsupported file type {suffix or '(none)'}; expected .txt, .md, .html or .jsonl")
        return
    if size > max_bytes:
        yield InputError(str(path), f"too large for one report ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB);"
                                    " split it or raise SAHELWATCH_MAX_DOC_BYTES")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    yield from _document_from_bytes(data, str(path), _doc_id_for(path), suffix in HTML_SUFFIXES, published)


def _document_from_bytes(data: bytes, name: str, doc_id: str, is_html: bool,
                         published: dt.date | None) -> Iterator[Document | InputError]:
    text, problem = decode(data)
    if text is None:
        yield InputError(name, problem or "unreadable")
        return
    if not text.strip():
        yield InputError(name, "empty file: no text to read")
        return
    if is_html or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        doc = html_to_document(text, doc_id, published=published)
        if doc is None:
            yield InputError(name, "HTML page has no article text that could be extracted")
            return
        yield doc
        return
    yield Document(doc_id=doc_id, text=text, published=published)


def json_objects(lines: Iterable[str | bytes], name: str,
                 max_bytes: int = MAX_DOC_BYTES) -> Iterator[tuple[int, dict[str, Any]] | InputError]:
    """(line number, object) for each line of JSON Lines holding an object; an InputError for each other
    non-blank line (binary, too long, not JSON, not an object). The one JSONL reader of sahelwatch."""
    for lineno, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            if b"\x00" in raw:
                yield InputError(name, "binary data, not JSON", lineno)
                continue
            line, _ = decode(raw)
        else:
            line = raw
        if not line or not line.strip():
            continue
        if len(line) > max_bytes * 2:
            yield InputError(name, f"line too long ({len(line) / 1e6:.1f} MB) for one report", lineno)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            # json's messages can end in "at" ("Invalid control character at"): one "at" is enough
            yield InputError(name, f"invalid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})", lineno)
            continue
        if not isinstance(obj, dict):
            yield InputError(name, "expected a JSON object per line", lineno)
            continue
        yield lineno, obj


def _article(obj: dict[str, Any], name: str, lineno: int, published: dt.date | None) -> Document | InputError:
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(name, "missing or empty 'text'", lineno)
    try:
        pub = parse_date(obj.get("published")) or published
    except ValueError:
        return InputError(name, f"invalid 'published' date {obj.get('published')!r} (want YYYY-MM-DD)", lineno)
    doc_id = _readable(str(obj.get("doc_id") or obj.get("id") or f"{Path(name).stem}-{lineno}"))
    return Document(doc_id=doc_id, text=_readable(text), published=pub, source=_readable(obj.get("source")),
                    url=_readable(obj.get("url")), title=_readable(obj.get("title")),
                    language=_readable(obj.get("language")))


def read_jsonl(path: Path | str, published: dt.date | None = None,
               stream: Iterable[str] | None = None, max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document | InputError]:
    """Articles from JSON Lines (doc_id, text, published, optional source, url, title, language)."""
    name = str(path)
    try:
        lines = stream if stream is not None else open(path, "rb")  # closed below
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
        return
    try:
        for item in json_objects(lines, name, max_bytes):
            yield item if isinstance(item, InputError) else _article(item[1], name, item[0], published)
    finally:
        if stream is None and hasattr(lines, "close"):
            lines.close()


def read_inputs(inputs: Iterable[str], published: dt.date | None = None,
                stdin: io.BufferedIOBase | None = None, max_bytes: int = MAX_DOC_BYTES,
                ) -> Iterator[Document | InputError]:
    """Documents (or InputErrors) from paths, directories and '-' (standard input), in order; a report over
    ``max_bytes`` is refused."""
    for item in inputs:
        if item == "-":
            data = (stdin or sys.stdin.buffer).read()
            text, _ = decode(data)
            if text is not None and text.lstrip().startswith("{"):
                yield from read_jsonl("<stdin>", published, stream=text.splitlines(), max_bytes=max_bytes)
            else:
                doc_id = "stdin-" + hashlib.sha1(data).hexdigest()[:12]
                yield from _document_from_bytes(data, "<stdin>", doc_id, False, published)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES)
            if not files:
                yield InputError(item, "directory has no .txt, .md, .html or .jsonl files")
            for f in files:
                yield from _read_file(f, published, max_bytes)
        elif path.exists():
            yield from _read_file(path, published, max_bytes)
        else:
            yield InputError(item, "no such file or directory")

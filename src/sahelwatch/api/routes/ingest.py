"""POST /api/ingest: a report as text, a URL, or an uploaded file, into the store (extracted, deduplicated)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from sahelwatch.api.deps import StoreDep, require_write
from sahelwatch.api.routes.events import json_response
from sahelwatch.model import Document

router = APIRouter(prefix="/api", tags=["ingest"])

MAX_UPLOAD = 20_000_000
TEXT_FIELDS = ("doc_id", "text", "title", "published", "source", "url", "language")

INGEST_DOC = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "text": {"type": "string", "description": "The report's text"},
                "url": {"type": "string", "description": "An http(s) article URL to fetch (when text is absent)"},
                "title": {"type": "string"}, "published": {"type": "string", "format": "date"},
                "source": {"type": "string"}, "doc_id": {"type": "string"}, "language": {"type": "string"}}}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": ".txt, .md, .html or .jsonl (one article per line)"},
                "published": {"type": "string", "format": "date"}}}},
        },
    },
}


def _report_dict(report: Any) -> dict[str, Any]:
    if report is None:
        return {}
    if isinstance(report, dict):
        return report
    if dataclasses.is_dataclass(report):
        return dataclasses.asdict(report)
    return {k: v for k, v in vars(report).items() if not k.startswith("_")}


def _published(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise HTTPException(400, f"{where}: published {value!r} is not a date (want YYYY-MM-DD)") from None


def _text_document(data: dict[str, Any]) -> Document:
    unknown = sorted(set(data) - set(TEXT_FIELDS))
    if unknown:
        raise HTTPException(400, f"unknown field(s) {', '.join(unknown)}; want {', '.join(TEXT_FIELDS)}")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise HTTPException(400, "text is empty: give the report's text, or a url, or upload a file")
    if len(text.encode("utf-8")) > MAX_UPLOAD:
        raise HTTPException(413, f"text is larger than {MAX_UPLOAD // 1_000_000} MB")
    doc_id = str(data.get("doc_id") or "api-" + hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16])
    return Document(doc_id=doc_id, text=text, published=_published(data.get("published"), "body"),
                    source=data.get("source") or None, url=data.get("url") or None,
                    title=data.get("title") or None, language=data.get("language") or None)


def _url_documents(url: str, published: dt.date | None, allow_private: bool) -> list[Any]:
    """The article (or feed entries) at an http(s) URL, fetched by sahelwatch.ingest.web."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise HTTPException(400, f"url {url!r}: only http:// and https:// addresses can be ingested")
    try:
        from sahelwatch.ingest.web import read_urls
    except ImportError:
        raise HTTPException(501, "this installation cannot fetch URLs (sahelwatch.ingest.web is missing)") from None
    return list(read_urls([url], allow_private=allow_private, published=published))


def _file_documents(name: str, data: bytes, published: dt.date | None) -> list[Any]:
    from sahelwatch.ingest import read_inputs

    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "upload.txt").name).lstrip(".") or "upload.txt"
    with tempfile.TemporaryDirectory(prefix="sahelwatch-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        docs = list(read_inputs([str(path)], published=published))
    for d in docs:  # name the upload, not the temporary path, in errors
        if hasattr(d, "path") and not isinstance(d, Document):
            object.__setattr__(d, "path", name)
    return docs


@router.post("/ingest", dependencies=[Depends(require_write)], openapi_extra=INGEST_DOC,
             summary="Ingest a report (JSON text or url, or a multipart file upload): extract, deduplicate, store")
async def ingest(request: Request, store: StoreDep) -> Response:
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_UPLOAD:
        raise HTTPException(413, f"request is larger than {MAX_UPLOAD // 1_000_000} MB")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            data = await request.json()
        except ValueError:
            raise HTTPException(400, "body is not valid JSON") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "body must be a JSON object with text (or url)")
        if not data.get("text") and data.get("url"):
            items = await _run(_url_documents, str(data["url"]), _published(data.get("published"), "body"),
                               request.app.state.allow_private)
        else:
            items = [_text_document(data)]
    elif ctype == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or not hasattr(upload, "read"):
            raise HTTPException(400, "multipart upload needs a 'file' field")
        content = await upload.read()
        if len(content) > MAX_UPLOAD:
            raise HTTPException(413, f"{upload.filename}: larger than {MAX_UPLOAD // 1_000_000} MB")
        published = _published(form.get("published"), str(upload.filename))
        items = await _run(_file_documents, upload.filename or "upload", content, published)
    else:
        raise HTTPException(415, f"content-type {ctype or '(none)'}: send application/json "
                                 "({\"text\": ...} or {\"url\": ...}) or multipart/form-data with a file")
    documents = [d for d in items if isinstance(d, Document)]
    errors = [str(d) for d in items if not isinstance(d, Document)]
    if not documents:
        raise HTTPException(400, "; ".join(errors) or "no report found in the request")
    report = await _run(store.ingest, documents)
    request.app.state.data_version += 1
    return json_response({"documents": [d.doc_id for d in documents], "errors": errors,
                          "report": _report_dict(report)}, status_code=201)


async def _run(func: Any, *args: Any) -> Any:
    """Blocking work (extraction, fetching, the database) in a worker thread."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args)

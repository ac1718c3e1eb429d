"""POST /api/ingest: a report as text, a URL, or an uploaded file, into the store (extracted, deduplicated)."""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request
from pydantic import ValidationError

from sahelwatch.api.deps import StoreDep, require_write
from sahelwatch.api.errors import validation_message
from sahelwatch.api.models import IngestResult, IngestText, IngestUpload, openapi_body
from sahelwatch.errors import InputError
from sahelwatch.model import Document
from sahelwatch.settings import Settings

router = APIRouter(prefix="/api", tags=["ingest"])


def _published(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise HTTPException(400, f"{where}: published {value!r} is not a date (want YYYY-MM-DD)") from None


def _parse_text_body(raw: bytes) -> IngestText:
    """The JSON body as an IngestText; HTTP 400 naming the field (invalid JSON, types, lengths, characters)."""
    try:
        return IngestText.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors()
        if any(e["type"] == "extra_forbidden" for e in errors):
            unknown = [str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden"]
            raise HTTPException(400, f"unknown field(s) {', '.join(unknown)}; want "
                                     f"{', '.join(IngestText.model_fields)}") from None
        if any(e["type"] == "json_invalid" for e in errors):
            raise HTTPException(400, f"body is not valid JSON: {errors[0]['msg']}") from None
        raise HTTPException(400, validation_message(list(errors))) from None


def _text_document(body: IngestText, max_bytes: int) -> Document:
    text = body.text or ""
    if not text.strip():
        raise HTTPException(400, "text is empty: give the report's text, or a url, or upload a file")
    if len(text.encode("utf-8")) > max_bytes:
        raise HTTPException(413, f"text is larger than {max_bytes / 1e6:g} MB (SAHELWATCH_MAX_DOC_BYTES)")
    doc = Document(doc_id="", text=text, published=body.published, source=body.source or None,
                   url=body.url or None, title=body.title or None, language=body.language or None)
    doc.doc_id = body.doc_id or "api-" + doc.content_hash[:16]
    return doc


def _url_documents(url: str, published: dt.date | None, allow_private: bool) -> list[Document | InputError]:
    """The article (or feed entries) at an http(s) URL, fetched by sahelwatch.ingest.web."""
    from sahelwatch.ingest.web import read_urls

    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise HTTPException(400, f"url {url!r}: only http:// and https:// addresses can be ingested")
    return list(read_urls([url], allow_private=allow_private, published=published))


def _file_documents(name: str, data: bytes, published: dt.date | None,
                    max_bytes: int) -> list[Document | InputError]:
    from sahelwatch.ingest import read_inputs

    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "upload.txt").name).lstrip(".") or "upload.txt"
    with tempfile.TemporaryDirectory(prefix="sahelwatch-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        items = list(read_inputs([str(path)], published=published, max_bytes=max_bytes))
    return [InputError(name, i.message, i.line) if isinstance(i, InputError) else i for i in items]


async def _json_items(request: Request, config: Settings) -> list[Document | InputError]:
    body = _parse_text_body(await request.body())
    if not body.text and body.url:
        return await _run(_url_documents, body.url, body.published, config.allow_private)
    return [_text_document(body, config.max_doc_bytes)]


async def _upload_items(request: Request, config: Settings) -> list[Document | InputError]:
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(400, "multipart upload needs a 'file' field")
    content = await upload.read()
    published = form.get("published")
    published = _published(published if isinstance(published, str) else None, str(upload.filename))
    return await _run(_file_documents, upload.filename or "upload", content, published, config.max_doc_bytes)


@router.post("/ingest", dependencies=[Depends(require_write)], status_code=201, response_model=IngestResult,
             openapi_extra=openapi_body({"application/json": IngestText, "multipart/form-data": IngestUpload}),
             summary="Ingest a report (JSON text or url, or a multipart file upload): extract, deduplicate, store")
async def ingest(request: Request, store: StoreDep, background: BackgroundTasks) -> IngestResult:
    from sahelwatch.service import ingest_documents

    config: Settings = request.app.state.settings
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        items = await _json_items(request, config)
    elif ctype == "multipart/form-data":
        items = await _upload_items(request, config)
    else:
        raise HTTPException(415, f"content-type {ctype or '(none)'}: send application/json "
                                 "({\"text\": ...} or {\"url\": ...}) or multipart/form-data with a file")
    documents = [d for d in items if isinstance(d, Document)]
    errors = [str(d) for d in items if not isinstance(d, Document)]
    if not documents:
        raise HTTPException(400, "; ".join(errors) or "no report found in the request")
    report = await _run(ingest_documents, store, documents)
    request.app.state.data_version += 1
    if report.events_added + report.events_linked:  # the subscriptions' new alerts, after the answer is sent
        background.add_task(_notify, store, config)
    return IngestResult(documents=[d.doc_id for d in documents], errors=errors, report=report)


def _notify(store: Any, config: Settings) -> None:
    from sahelwatch.notify import evaluate_subscriptions

    if store.subscriptions():
        evaluate_subscriptions(store, config)


async def _run(func: Any, *args: Any) -> Any:
    """Blocking work (extraction, fetching, the database) in a worker thread."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args)

"""Documents: the report text behind events, with the events it supports."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from sahelwatch.api.deps import StoreDep
from sahelwatch.api.routes.events import json_response

router = APIRouter(prefix="/api", tags=["documents"])


@router.get("/documents/{doc_id}", summary="One report: text, title, source, url, publication date, its events")
def get_document(doc_id: str, store: StoreDep) -> Response:
    document = store.get_document(doc_id)
    if document is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    return json_response(document)

"""Documents: the report text behind events, with the events it supports."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response

from sahelwatch.api.deps import StoreDep
from sahelwatch.api.jsonio import json_response
from sahelwatch.api.models import DocumentOut

router = APIRouter(prefix="/api", tags=["documents"])


@router.get("/documents/{doc_id}", summary="One report: text, title, source, url, publication date, its events",
            response_model=DocumentOut)
def get_document(doc_id: Annotated[str, Path(max_length=300)], store: StoreDep) -> Response:
    document = store.get_document(doc_id)
    if document is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    return json_response(document)

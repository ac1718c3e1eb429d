"""What reviews taught the extractor: the learned places, actors and aliases (the user files), and undoing one."""
from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from sahelwatch.api.deps import StoreDep, require_write, reviewer
from sahelwatch.api.jsonio import json_response
from sahelwatch.api.models import Learned, LearnedList

router = APIRouter(tags=["learning"])
WEB_DIR = FilePath(__file__).resolve().parents[1] / "web"
PAGE = "learned.html"


@router.get("/api/learned", summary="The places, actors and aliases learned from reviews, newest first",
            response_model=LearnedList)
def list_learned(request: Request) -> Response:
    from sahelwatch.learning import list_learned as entries

    settings = request.app.state.settings
    return json_response({"entries": [e.to_dict() for e in entries(settings)],
                          "places_file": str(settings.user_places_path()),
                          "actors_file": str(settings.user_actors_path())})


@router.delete("/api/learned/{entry_id}", dependencies=[Depends(require_write)], response_model=Learned,
               summary="Undo a learned place, actor or alias: extraction no longer uses it (audited on its event)")
def undo_learned(entry_id: Annotated[str, Path(max_length=64, pattern=r"^[0-9a-f]{1,64}$")], request: Request,
                 store: StoreDep) -> Response:
    from sahelwatch.learning import undo_learned as undo

    entry = undo(request.app.state.settings, entry_id)
    if entry.event_id and store.get_event(entry.event_id) is not None:
        store.record_audit(entry.event_id, "unlearn", reviewer(request),
                           {k: v for k, v in entry.to_dict().items() if v and k != "file"}, None)
    request.app.state.data_version += 1
    return json_response(entry.to_dict())


@router.get("/learned", response_class=HTMLResponse, include_in_schema=False)
def learned_page() -> HTMLResponse:
    return HTMLResponse((WEB_DIR / PAGE).read_text(encoding="utf-8"), headers={"cache-control": "no-cache"})

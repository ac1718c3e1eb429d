"""GET /api/map/labels: place names for the web map from the embedded gazetteer (and imported places)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from sahelwatch.api.deps import parse_bbox
from sahelwatch.api.jsonio import json_response
from sahelwatch.api.models import NO_CONTROLS, MapLabels

router = APIRouter(prefix="/api", tags=["reference"])


@router.get("/map/labels", response_model=MapLabels,
            summary="Place labels (capitals, admin1 names, towns, villages) with the zoom each shows from")
def map_labels(bbox: Annotated[str | None, Query(max_length=200, pattern=NO_CONTROLS,
                                                 description="minlon,minlat,maxlon,maxlat")] = None,
               max_zoom: Annotated[int | None, Query(ge=0, le=20, description="Only labels shown by this zoom")] = None,
               ) -> Response:
    from sahelwatch.geo.labels import COLUMNS
    from sahelwatch.geo.labels import map_labels as labels

    found = labels(parse_bbox(bbox), max_zoom)
    response = json_response({"columns": list(COLUMNS), "count": len(found), "rows": [lb.row() for lb in found]})
    response.headers["cache-control"] = "max-age=300"
    return response

"""Reference data and summaries: actors, codebook, statistics, health."""
from __future__ import annotations

import dataclasses
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response

from sahelwatch import __version__
from sahelwatch.api.deps import STATUSES, FiltersDep, StoreDep
from sahelwatch.api.routes.events import json_response

router = APIRouter(prefix="/api", tags=["reference"])


def _as_dict(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        return dict(item)
    if dataclasses.is_dataclass(item):
        return dataclasses.asdict(item)
    return {k: v for k, v in vars(item).items() if not k.startswith("_")}


def registry_actors() -> list[dict[str, Any]]:
    """Canonical actors of sahelwatch.actors.default_registry(), as far as its API lists them."""
    from sahelwatch.actors import default_registry

    registry = default_registry()
    for name in ("actors", "all_actors", "entries"):
        listing = getattr(registry, name, None)
        if listing is not None:
            items = listing() if callable(listing) else listing
            items = items.values() if isinstance(items, dict) else items
            return [_as_dict(a) for a in items]
    from sahelwatch.actors import registry as module  # the first registry: a table in the module

    table = getattr(module, "_NAMED", {})
    return [{"name": name, "inter": inter, "aliases": list(aliases)} for name, (inter, aliases) in table.items()]


@router.get("/actors", summary="Canonical actors (registry) with their event counts in this database")
def actors(store: StoreDep) -> Response:
    seen = {row["key"]: row for row in store.stats("actor")}
    out = []
    for actor in registry_actors():
        row = seen.pop(actor.get("name"), None) or {}
        actor.update(events=row.get("events", 0), fatalities=row.get("fatalities", 0), in_registry=True)
        out.append(actor)
    for name, row in seen.items():
        if name:
            out.append({"name": name, "events": row.get("events", 0), "fatalities": row.get("fatalities", 0),
                        "in_registry": False})
    out.sort(key=lambda a: (-(a.get("events") or 0), str(a.get("name"))))
    return json_response({"actors": out})


@router.get("/stats", summary="Events, fatalities and civilian fatalities grouped by month, week, country, "
                              "admin1, actor or event type, over the filtered events")
def stats(filters: FiltersDep, store: StoreDep,
          by: Literal["month", "week", "country", "admin1", "actor", "event_type"] = "month",
          period: Literal["month", "week"] = "month") -> Response:
    return json_response({"by": by, "rows": store.stats(by, period=period, **filters)})


@router.get("/codebook", summary="Event types with their sub-event types, inter codes and review statuses")
def codebook() -> dict[str, Any]:
    from sahelwatch import codebook as cb

    return {"event_types": {t: cb.sub_event_types(t) for t in cb.event_types()},
            "inter_codes": {str(k): v for k, v in cb.inter_codes().items()}, "statuses": list(STATUSES)}


@router.get("/health", summary="Liveness, version and the number of events")
def health(store: StoreDep) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "events": store.count_events()}

"""Reference data and summaries: actors, codebook, statistics, health."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from sahelwatch import __version__
from sahelwatch.api.deps import STATUSES, FiltersDep, StoreDep
from sahelwatch.api.jsonio import json_response
from sahelwatch.api.models import NO_CONTROLS, ActorList, Codebook, Health, Stats

router = APIRouter(prefix="/api", tags=["reference"])


def _actor_dict(actor: Any) -> dict[str, Any]:
    """The public fields of a registry actor (name, short name, inter code, kind, parent, countries, aliases)."""
    if isinstance(actor, dict):
        return dict(actor)
    out = {k: getattr(actor, k) for k in ("name", "short", "category", "inter", "kind", "parent", "countries")
           if hasattr(actor, k)}
    out["countries"] = list(out.get("countries") or [])
    aliases = getattr(actor, "all_aliases", None)
    if aliases is None and isinstance(getattr(actor, "aliases", None), dict):
        aliases = [w for words in actor.aliases.values() for w in words]
    out["aliases"] = list(aliases or [])
    return out


def registry_actors(text: str = "") -> list[dict[str, Any]]:
    """Canonical actors of sahelwatch.actors.default_registry() (templates such as "Military Forces of
    {country}" left out), those matching ``text`` when given."""
    from sahelwatch.actors import default_registry

    registry = default_registry()
    if hasattr(registry, "search"):
        items = registry.search(text)
    else:
        items = list(getattr(registry, "actors", []) or [])
    return [_actor_dict(a) for a in items if "{" not in str(getattr(a, "name", "{"))]


@router.get("/actors", summary="Canonical actors (registry) with their event counts in this database",
            response_model=ActorList)
def actors(store: StoreDep,
           q: Annotated[str, Query(max_length=200, pattern=NO_CONTROLS, description="Part of a name")] = "") -> Response:
    seen = {row["key"]: row for row in store.stats("actor")}
    out = []
    for actor in registry_actors(q):
        row = seen.pop(actor.get("name"), None) or {}
        actor.update(events=row.get("events", 0), fatalities=row.get("fatalities", 0), in_registry=True)
        out.append(actor)
    for name, row in seen.items():
        if name and (not q or q.lower() in name.lower()):
            out.append({"name": name, "events": row.get("events", 0), "fatalities": row.get("fatalities", 0),
                        "in_registry": False})
    out.sort(key=lambda a: (-(a.get("events") or 0), str(a.get("name"))))
    return json_response({"actors": out})


@router.get("/stats", summary="Events, fatalities and civilian fatalities grouped by month, week, country, "
                              "admin1, actor or event type, over the filtered events", response_model=Stats)
def stats(filters: FiltersDep, store: StoreDep,
          by: Literal["month", "week", "country", "admin1", "actor", "event_type"] = "month",
          period: Literal["month", "week"] = "month") -> Response:
    return json_response({"by": by, "rows": store.stats(by, period=period, **filters)})


@router.get("/codebook", summary="Event types with their sub-event types, inter codes and review statuses")
def codebook() -> Codebook:
    from sahelwatch import codebook as cb

    return Codebook(event_types={t: cb.sub_event_types(t) for t in cb.event_types()},
                    inter_codes={str(k): v for k, v in cb.inter_codes().items()}, statuses=list(STATUSES))


@router.get("/health", summary="Liveness, version and the number of events")
def health(store: StoreDep) -> Health:
    return Health(status="ok", version=__version__, events=store.count_events())

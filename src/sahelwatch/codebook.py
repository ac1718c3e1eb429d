"""ACLED's event types, sub-event types, disorder types and inter codes: data and checks."""
from __future__ import annotations

import functools
from importlib import resources

import yaml


@functools.cache
def _codebook() -> dict:
    return yaml.safe_load(resources.files("sahelwatch").joinpath("data/codebook.yaml").read_text("utf-8"))


def event_types() -> list[str]:
    return list(_codebook()["event_types"])


def sub_event_types(event_type: str) -> list[str]:
    return list(_codebook()["event_types"][event_type]["sub_event_types"])


def event_type_of(sub_event_type: str) -> str:
    """The event type a sub-event type belongs to; KeyError when it is not in the codebook."""
    for name, spec in _codebook()["event_types"].items():
        if sub_event_type in spec["sub_event_types"]:
            return name
    raise KeyError(f"unknown sub_event_type: {sub_event_type!r}")


def disorder_type(event_type: str) -> str:
    return _codebook()["event_types"][event_type]["disorder_type"]


def sides() -> dict[str, dict]:
    """Which roles and categories make actor1 and actor2, for the sub-event types a table can say."""
    return _codebook().get("sides", {})


def inter_codes() -> dict[int, str]:
    return {int(k): v for k, v in _codebook()["inter_codes"].items()}


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes joined, smaller first (10*a for one side only)."""
    if not inter1 and not inter2:
        return None
    codes = sorted(c for c in (inter1, inter2) if c)
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def check(event_type: str, sub_event_type: str) -> None:
    """Raise ValueError when the pair is not in the codebook."""
    if event_type not in _codebook()["event_types"]:
        raise ValueError(f"unknown event_type: {event_type!r}")
    if sub_event_type not in sub_event_types(event_type):
        raise ValueError(f"sub_event_type {sub_event_type!r} does not belong to {event_type!r}")

"""sahelwatch: news reports about political violence in the Sahel in, ACLED-style events out.

The public API: ``extract_events(document) -> list[Event]`` and the records ``Document``,
``Event`` and ``Evidence``. Nothing heavy happens at import time.
"""
from __future__ import annotations

from sahelwatch.model import Document, Event, Evidence

__version__ = "0.1.0"
__all__ = ["Document", "Event", "Evidence", "extract_events", "__version__"]


def extract_events(document: Document) -> list[Event]:
    """Extract the events a report states (the one pipeline everything else calls)."""
    from sahelwatch.pipeline import extract_events as _extract

    return _extract(document)

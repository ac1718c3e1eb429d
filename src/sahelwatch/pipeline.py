"""The one entry point from Document to events: the CLI, the API, evaluate and Dask all call it."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sahelwatch.model import Document, Event


def extract_events(document: Document) -> list[Event]:
    """The events one report states (pure: no database, network or global state besides loaded models)."""
    return next(iter(extract_many([document])))[1]


def extract_many(documents: Iterable[Document], n_process: int = 1,
                 batch_size: int = 16) -> Iterator[tuple[Document, list[Event]]]:
    """(document, events) for each document, in order, streaming; spaCy runs batched over n_process."""
    from sahelwatch.extract.events import extract_from_docs

    yield from extract_from_docs(documents, n_process=n_process, batch_size=batch_size)

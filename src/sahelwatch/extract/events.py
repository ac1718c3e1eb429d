"""Assembling events from the stages (placeholder until the extractor lands)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sahelwatch.model import Document, Event


def extract_from_docs(documents: Iterable[Document], n_process: int = 1,
                      batch_size: int = 16) -> Iterator[tuple[Document, list[Event]]]:
    for doc in documents:
        yield doc, []

"""The one entry point from Document to events: the CLI, the API, evaluate and Dask all call it."""
from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable, Iterator

from sahelwatch.model import Document, Event


def extract_events(document: Document) -> list[Event]:
    """The events one report states (pure: no database, network or global state besides loaded models)."""
    return next(iter(extract_many([document])))[1]


def _extract_chunk(documents: list[Document]) -> list[tuple[Document, list[Event]]]:
    from sahelwatch.extract.events import extract_from_docs

    return list(extract_from_docs(documents))


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(documents)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def extract_many(documents: Iterable[Document], n_process: int = 1,
                 batch_size: int = 16) -> Iterator[tuple[Document, list[Event]]]:
    """(document, events) for each document, in input order, streaming.

    With ``n_process`` > 1 the whole pipeline (spaCy and the rules) runs in that many worker
    processes, each loading the models once, on batches of ``batch_size`` documents.
    """
    if n_process <= 1:
        from sahelwatch.extract.events import extract_from_docs

        yield from extract_from_docs(documents, batch_size=batch_size)
        return
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(n_process) as pool:
        for results in pool.imap(_extract_chunk, _chunks(documents, batch_size)):
            yield from results

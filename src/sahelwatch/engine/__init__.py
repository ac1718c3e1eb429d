"""Running the pipeline beyond one process: on a Dask cluster (local or multi-machine).

``extract_many_dask`` has the contract of ``sahelwatch.pipeline.extract_many``: (document,
events) pairs, in input order, streamed as chunks finish. ``extractor`` picks one of the two
by name, for the CLI verbs (extract, ingest) that offer ``--engine local|dask``.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

from sahelwatch.engine.dask import extract_many_dask
from sahelwatch.errors import EngineError
from sahelwatch.model import Document, Event
from sahelwatch.settings import Settings

ENGINES = ("local", "dask")
Extractor = Callable[[Iterable[Document]], Iterator[tuple[Document, list[Event]]]]


def extractor(engine: str = "local", scheduler: str | None = None, workers: int | None = None,
              n_process: int = 1, settings: Settings | None = None,
              on_error: Callable[[Exception], None] | None = None) -> Extractor:
    """documents -> (document, events) pairs, in this process ('local') or on a Dask cluster ('dask',
    whose workers are configured with ``settings``).

    ``on_error`` receives each document's ExtractionError (too large, over its time budget); that
    document is left out and the others go on (default: one logged line)."""
    if engine == "dask":
        return functools.partial(extract_many_dask, scheduler=scheduler, workers=workers, settings=settings,
                                 on_error=on_error)
    if engine == "local":
        from sahelwatch.pipeline import extract_many

        return functools.partial(extract_many, n_process=n_process, on_error=on_error)
    raise ValueError(f"unknown engine {engine!r} (want one of {', '.join(ENGINES)})")


__all__ = ["ENGINES", "EngineError", "Extractor", "extract_many_dask", "extractor"]

"""``sahelwatch.pipeline.extract_many`` over partitions of documents on a Dask cluster.

Documents are cut into chunks of ``chunk_size``; each chunk is one task that runs the ordinary
pipeline in a worker process, so the spaCy models load once per worker (``nlp.load_extractor`` is cached
per process) and every event is what the single-process run gives. At most a few chunks per
worker are in flight, and results come back in input order as soon as the oldest chunk is done,
so a store can write them in batches while the cluster keeps working. Without a scheduler
address a LocalCluster runs one single-threaded worker process per core.
"""
from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sahelwatch.errors import EngineError
from sahelwatch.model import Document, Event
from sahelwatch.pipeline import _chunks  # one batching helper for the local and the Dask engine
from sahelwatch.settings import Settings

IN_FLIGHT_PER_WORKER = 3
# A chunk with more text than this is scattered to the workers first instead of riding in the task
# itself (Dask warns about, and the scheduler chokes on, large task graphs).
SCATTER_BYTES = 1_000_000
WORKER_COUNT_EVERY = 5.0  # seconds between two looks at how many workers the cluster has


def extract_chunk(documents: list[Document], settings: Settings | None = None) -> list[list[Event] | Exception]:
    """The events of each document of one chunk, in order (runs inside a worker process); for a
    document that could not be read, its ExtractionError instead.

    ``settings``: the client's settings (e.g. the ``--actors`` files, the model names), applied in
    the worker first so that it configures the pipeline as the client's own process is.
    """
    from sahelwatch.pipeline import extract_many
    from sahelwatch.runtime import configure_extraction

    if settings is not None:
        configure_extraction(settings)
    failed: list[Exception] = []  # in document order, as extract_many reports them
    done = {id(doc): events for doc, events in extract_many(documents, on_error=failed.append)}
    errors = iter(failed)
    return [done[id(doc)] if id(doc) in done else next(errors) for doc in documents]


def connect(scheduler: str | None = None, workers: int | None = None) -> tuple[Any, Any]:
    """(client, cluster-or-None): a client of the scheduler at ``scheduler``, else of a new LocalCluster."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, processes=True, threads_per_worker=1, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def extract_many_dask(documents: Iterable[Document], scheduler: str | None = None, workers: int | None = None,
                      chunk_size: int = 32, settings: Settings | None = None,
                      on_error: Callable[[Exception], None] | None = None) -> Iterator[tuple[Document, list[Event]]]:
    """(document, events) for each document, in input order, computed on a Dask cluster.

    ``scheduler``: a ``tcp://HOST:PORT`` address; without one a LocalCluster with ``workers``
    processes (default: one per core) is started and shut down here. ``settings`` configure each
    worker's pipeline (default: the workers' own defaults). A document that cannot be read goes to
    ``on_error``, as with ``extract_many``.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    client, cluster = connect(scheduler, workers)
    pending: deque[tuple[list[Document], Any]] = deque()
    try:
        limit, counted = 0, -WORKER_COUNT_EVERY
        for chunk in _chunks(documents, chunk_size):
            if time.monotonic() - counted >= WORKER_COUNT_EVERY:
                # workers may join a running cluster: the read-ahead follows how many there are now
                n_workers = max(len(client.scheduler_info().get("workers", {})), workers or 1, 1)
                limit, counted = IN_FLIGHT_PER_WORKER * n_workers, time.monotonic()
            # pure=False: two identical chunks are still two tasks, and nothing is cached on the cluster
            data = chunk
            if sum(len(d.text) for d in chunk) > SCATTER_BYTES:
                data = client.scatter(chunk, hash=False)  # a list of futures, gathered back into a list
            pending.append((chunk, client.submit(extract_chunk, data, settings, pure=False)))
            while len(pending) >= limit:
                yield from _collect(*pending.popleft(), on_error)
        while pending:
            yield from _collect(*pending.popleft(), on_error)
    finally:
        for _chunk, future in pending:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def _collect(chunk: list[Document], future: Any,
             on_error: Callable[[Exception], None] | None) -> Iterator[tuple[Document, list[Event]]]:
    from sahelwatch.pipeline import log_error

    results = future.result()
    future.release()
    for doc, result in zip(chunk, results, strict=True):
        if isinstance(result, Exception):
            (on_error or log_error)(result)
        else:
            yield doc, result

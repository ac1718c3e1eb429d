"""The ingest service: documents in, extracted by the pipeline, handed to the store; the one path from
reports to stored events that the CLI verbs and the API share.

It sits above both the pipeline and the store, so that persistence never runs extraction.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Self

from sahelwatch.errors import InputError
from sahelwatch.model import Document, Event
from sahelwatch.store import IngestReport, Store
from sahelwatch.store.refresh import DocumentRefresh

Extract = Callable[[Iterable[Document]], Iterable[tuple[Document, list[Event]]]]


def ingest_documents(store: Store, documents: Iterable[Document | InputError], progress: bool = False,
                     n_process: int = 1, extract: Extract | None = None) -> IngestReport:
    """Extract events from new documents, link them to stored incidents and store them.

    Idempotent: a document whose URL or text is already stored is skipped before extraction.
    Commits every ``store.batch_docs`` documents, so an interrupted run keeps what it committed.
    ``extract`` runs the pipeline elsewhere (e.g. ``sahelwatch.engine.extractor("dask")``); by default
    it runs here, on ``n_process`` processes. InputErrors among the documents are counted as errors.
    """
    from sahelwatch.pipeline import extract_many

    report = IngestReport()
    total = len(documents) if isinstance(documents, Sequence) else None
    bar = _progress(progress and (total is None or total > 3), total)

    def fresh() -> Iterator[Document]:
        for item in documents:
            if isinstance(item, InputError):
                report.errors.append(str(item))
                continue
            report.documents_seen += 1
            if store.is_known(item):
                report.documents_skipped += 1
                bar.advance()
                continue
            yield item

    with bar:
        batch: list[tuple[Document, list[Event]]] = []
        pairs = extract(fresh()) if extract is not None else extract_many(
            fresh(), n_process=n_process, on_error=lambda exc: report.errors.append(str(exc)))
        for pair in pairs:
            batch.append(pair)
            if len(batch) >= store.batch_docs:
                report.merge(store.add_many(batch))
                bar.advance(len(batch))
                batch = []
        if batch:
            report.merge(store.add_many(batch))
            bar.advance(len(batch))
    return report


def reextract(store: Store, since: str | None = None, apply: bool = False,
              n_process: int = 1) -> Iterator[DocumentRefresh]:
    """Run the pipeline again over stored documents (published since ``since``) with today's gazetteer and
    actor files, and yield what it changes in each document's unreviewed events; ``apply`` writes it.

    Reviewed events (verified, rejected or edited) are never overwritten.
    """
    from sahelwatch.pipeline import extract_many

    def docs() -> Iterator[Document]:
        for rec in store.documents_since(since):
            yield Document(doc_id=rec["doc_id"], text=rec["text"], title=rec.get("title"), url=rec.get("url"),
                           source=rec.get("source"), language=rec.get("language"),
                           published=_date(rec.get("published")))

    for doc, evs in extract_many(docs(), n_process=n_process):
        records = [{**e.to_dict(), "source": doc.source or ""} for e in evs]
        yield store.refresh_document(doc.doc_id, records, apply=apply)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


class _NoProgress:
    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None


class _Progress(_NoProgress):
    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=False)
        self.task = self.progress.add_task("ingest", total=total)

    def __enter__(self) -> Self:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)


def _progress(show: bool, total: int | None) -> _NoProgress:
    return _Progress(total) if show else _NoProgress()

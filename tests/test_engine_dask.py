"""The Dask engine: the same events as the single-process pipeline, in order, from a real cluster."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sahelwatch.engine.dask import EngineError, extract_many_dask
from sahelwatch.ingest import read_inputs
from sahelwatch.pipeline import extract_many

REPORTS = Path(__file__).parent / "data" / "engine_reports.jsonl"
SAHELWATCH = str(Path(sys.executable).parent / "sahelwatch")


@pytest.fixture(scope="module")
def documents():
    return [d for d in read_inputs([str(REPORTS)])]


@pytest.fixture(scope="module")
def single_process(documents):
    return [(doc.doc_id, [e.to_dict() for e in events]) for doc, events in extract_many(documents)]


@pytest.fixture(scope="module")
def cluster():
    """A real LocalCluster with two single-threaded worker processes."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
                      silence_logs=logging.ERROR) as c:
        yield c


def test_reports_give_events_at_all(single_process):
    """Guards the comparisons below against comparing empty lists."""
    assert sum(len(evs) for _id, evs in single_process) >= 3


@pytest.mark.parametrize("chunk_size", [1, 2, 4])
def test_two_worker_processes_give_the_single_process_events(cluster, documents, single_process, chunk_size):
    results = extract_many_dask(iter(documents), scheduler=cluster.scheduler_address, chunk_size=chunk_size)
    got = [(doc.doc_id, [e.to_dict() for e in events]) for doc, events in results]
    assert got == single_process


def test_chunks_ran_on_both_workers(cluster, documents):
    """Partitioning is real: with one-document chunks, both worker processes do work."""
    from distributed import Client

    list(extract_many_dask(documents, scheduler=cluster.scheduler_address, chunk_size=1))
    with Client(cluster.scheduler_address) as client:
        pids = client.run(lambda: __import__("os").getpid())
        loaded = client.run(
            lambda: __import__("sahelwatch.nlp", fromlist=["load_extractor"]).load_extractor.cache_info().currsize)
    assert len(set(pids.values())) == 2
    assert all(n >= 1 for n in loaded.values()), loaded  # each worker loaded its model(s) once, and kept them


def test_results_stream_before_the_input_is_exhausted(cluster, documents):
    """The engine reads ahead a bounded number of chunks and yields while input is still coming."""
    consumed = 0

    def counting():
        nonlocal consumed
        for _ in range(20):
            for d in documents:
                consumed += 1
                yield d

    results = extract_many_dask(counting(), scheduler=cluster.scheduler_address, chunk_size=2)
    first = next(results)
    assert first[0].doc_id == documents[0].doc_id
    assert consumed < 20 * len(documents)
    results.close()


def test_an_empty_input_gives_nothing(cluster):
    assert list(extract_many_dask([], scheduler=cluster.scheduler_address)) == []


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(EngineError, match="tcp://127.0.0.1:9"):
        list(extract_many_dask([], scheduler="tcp://127.0.0.1:9"))


def test_cli_engine_dask_writes_the_local_engine_output(tmp_path):
    """`sahelwatch extract --engine dask --workers 2` (its own LocalCluster) = `--engine local`."""
    outputs = {}
    for engine in ("local", "dask"):
        out = tmp_path / f"{engine}.jsonl"
        args = [SAHELWATCH, "extract", str(REPORTS), "-o", str(out), "--engine", engine]
        if engine == "dask":
            args += ["--workers", "2"]
        subprocess.run(args, check=True, timeout=300)
        outputs[engine] = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert outputs["dask"] == outputs["local"]
    assert len(outputs["local"]) >= 3


def test_cli_unreachable_scheduler_exits_non_zero_with_one_line(tmp_path):
    proc = subprocess.run([SAHELWATCH, "extract", str(REPORTS), "--engine", "dask",
                           "--scheduler", "tcp://127.0.0.1:9"], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_clients_sahelwatch_settings_reach_the_workers(cluster, documents, tmp_path):
    """`--actors FILE` and the like are in the client's Settings: workers are configured with them."""
    from distributed import Client

    from sahelwatch.settings import Settings

    mine = tmp_path / "mine.yaml"
    mine.write_text("spellings:\n  Haraam: haram\n", encoding="utf-8")
    settings = Settings(actors=(str(mine.resolve()),))
    list(extract_many_dask(documents[:4], scheduler=cluster.scheduler_address, chunk_size=1, settings=settings))
    with Client(cluster.scheduler_address) as client:
        seen = client.run(lambda: __import__("sahelwatch.actors.registry", fromlist=["x"]).user_paths())
    assert {tuple(v) for v in seen.values()} == {(str(mine.resolve()),)}


def test_large_chunks_are_scattered_and_give_the_same_events(cluster, documents, single_process, monkeypatch):
    import sahelwatch.engine.dask as engine

    monkeypatch.setattr(engine, "SCATTER_BYTES", 1)
    got = [(doc.doc_id, [e.to_dict() for e in events])
           for doc, events in extract_many_dask(documents, scheduler=cluster.scheduler_address, chunk_size=3)]
    assert got == single_process


def test_ingest_on_the_cluster_stores_what_a_local_ingest_stores(tmp_path, cluster, single_process):
    """`sahelwatch ingest --engine dask`: workers extract, the client writes the store."""
    db = f"sqlite:///{tmp_path / 'dask.db'}"
    res = subprocess.run([SAHELWATCH, "ingest", str(REPORTS), "--db", db, "--engine", "dask",
                          "--scheduler", cluster.scheduler_address], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    from sahelwatch.store import Store

    store = Store(db)
    try:
        assert store.count_documents() == len(single_process)
        assert store.count_events() > 0
        docs_with_events = {d for d, evs in single_process if evs}
        stored = {s["doc_id"] for e in store.iter_events() for s in store.get_event(e["event_id"])["sources"]}
        assert stored == docs_with_events
    finally:
        store.close()

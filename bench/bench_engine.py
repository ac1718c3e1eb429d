"""Throughput of the Dask engine with 1 and 2 worker processes, and the scaling efficiency.

Builds a few hundred synthetic reports (English and French) from templates written for this
benchmark, runs them through ``extract_many`` in this process and through ``extract_many_dask``
on LocalClusters of 1 and 2 single-threaded worker processes, and prints docs/s, words/s and
efficiency = (throughput with N workers) / (N x throughput with 1 worker). Cluster start-up and
each worker's model loading are timed apart (a warm-up run) from the steady-state throughput.

    .venv/bin/python bench/bench_engine.py [--docs 300] [--chunk-size 16]
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import time

from sahelwatch.model import Document

EN = [
    ("Suspected jihadists attacked a {army} position on {wd} near {place}, killing {n} soldiers, the defence "
    "ministry said. The army said {m} assailants were neutralised during the counter-attack."),
    ("Gunmen abducted {n} villagers on {wd} in {place}, local sources told reporters. Residents said the "
    "attackers arrived on motorcycles and burned the market before leaving."),
    ("A drone strike by the {army} killed {n} people at a wedding near {place} on {wd}, witnesses said, while "
    "the military said it had targeted a gathering of terrorists."),
    ("Hundreds of protesters marched in {place} on {wd} to demand the departure of foreign troops; police "
    "dispersed them with tear gas and arrested {n} people."),
    ("{n} civilians were killed when their minibus struck an improvised explosive device on {wd} on the road "
    "between {place} and {place2}, a local official said."),
]
FR = [
    ("Au moins {n} militaires ont été tués {wd} dans une embuscade tendue par des hommes armés près de {place}, "
    "a annoncé le ministère de la Défense. Une trentaine d'assaillants ont été neutralisés, selon la même source."),
    ("Des individus armés ont enlevé {n} civils {wd} dernier à {place}, selon des sources locales. Les "
    "ravisseurs ont incendié plusieurs boutiques avant de repartir."),
    "Une frappe de drone de l'armée a tué {n} personnes {wd} près de {place}, selon des témoins.",
    ("Des milliers de manifestants ont marché {wd} à {place} ; la police les a dispersés au gaz lacrymogène et "
    "a interpellé {n} personnes."),
]
PLACES = ["Niamey", "Djibo", "Téra", "Tillabéri", "Kidal", "Gao", "Mopti", "Ouahigouya", "Dori", "Agadez",
          "Diffa", "Tahoua", "Ségou", "Kaya", "Fada N'gourma"]
WD_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WD_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def synthetic_reports(n: int, seed: int = 8) -> list[Document]:
    """``n`` short reports, two-thirds English and one-third French, reproducible from ``seed``."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        french = i % 3 == 2
        template = rng.choice(FR if french else EN)
        paragraphs = []
        for _ in range(rng.randint(2, 5)):
            paragraphs.append(template.format(
                army="Nigerien army" if not french else "armée", wd=rng.choice(WD_FR if french else WD_EN),
                place=rng.choice(PLACES), place2=rng.choice(PLACES), n=rng.randint(2, 40), m=rng.randint(2, 40)))
            template = rng.choice(FR if french else EN)
        published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        docs.append(Document(f"bench-{i:04d}", "\n\n".join(paragraphs), published, "bench",
                             language="fr" if french else "en"))
    return docs


def _run(results) -> int:
    return sum(len(events) for _doc, events in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--chunk-size", type=int, default=16)
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    from sahelwatch.engine.dask import extract_many_dask
    from sahelwatch.pipeline import extract_many

    docs = synthetic_reports(args.docs)
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} synthetic reports, {words} words, chunk size {args.chunk_size}")

    load_before = os.getloadavg()[0]
    rows = []
    t = time.perf_counter()
    _run(extract_many(docs[:8]))  # load the models in this process first
    warm = time.perf_counter() - t
    t, cpu = time.perf_counter(), time.process_time()
    events = _run(extract_many(docs))
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    rows.append(("in-process (no Dask)", warm, elapsed, cpu, events))

    for n in (1, 2):
        # each LocalCluster: single-threaded worker processes, as `--engine dask` starts them
        t = time.perf_counter()
        with LocalCluster(n_workers=n, processes=True, threads_per_worker=1, dashboard_address=":0",
                          silence_logs=logging.ERROR) as cluster:
            # warm-up: each worker loads its models (two chunks per worker, both languages)
            _run(extract_many_dask(docs[: 2 * n * 3], scheduler=cluster.scheduler_address, chunk_size=3))
            warm = time.perf_counter() - t
            with Client(cluster.scheduler_address) as client:
                before = client.run(time.process_time)
                t = time.perf_counter()
                events = _run(extract_many_dask(docs, scheduler=cluster.scheduler_address,
                                                chunk_size=args.chunk_size))
                elapsed = time.perf_counter() - t
                after = client.run(time.process_time)
            cpu = sum(after[w] - before[w] for w in after)
        rows.append((f"dask, {n} worker process{'es' if n > 1 else ''}", warm, elapsed, cpu, events))

    print(f"{'engine':28} {'start+warm s':>12} {'run s':>8} {'docs/s':>8} {'words/s':>9} {'CPU ms/doc':>10} "
          f"{'events':>7}")
    for name, warm, elapsed, cpu, events in rows:
        print(f"{name:28} {warm:12.1f} {elapsed:8.1f} {len(docs) / elapsed:8.1f} {words / elapsed:9.0f} "
              f"{1000 * cpu / len(docs):10.1f} {events:7d}")
    one, two = rows[1][2], rows[2][2]
    print(f"speed-up 2 vs 1 worker: {one / two:.2f}x; scaling efficiency: {one / two / 2:.0%}")
    print(f"dask overhead, 1 worker vs in-process (wall clock): {rows[1][2] / rows[0][2] - 1:+.0%}")
    load_after = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    print(f"load average {load_before:.1f} -> {load_after:.1f} on {cores} cores", end="")
    print(": the machine was busy with other work, so wall-clock figures understate the scaling"
          if max(load_before, load_after) > cores else "")


if __name__ == "__main__":
    main()

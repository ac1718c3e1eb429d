"""Event store benchmark: bulk ingest + dedup of synthetic events, and filtered query latency.

    .venv/bin/python bench/bench_store.py ingest --n 1000000 --db /tmp/bench-1m.db
    .venv/bin/python bench/bench_store.py scaling --sizes 250000,500000,1000000
    .venv/bin/python bench/bench_store.py query --db /tmp/bench-1m.db

Synthetic reports arrive roughly in date order (as a feed does): incidents over ten years in eight
countries, about a quarter of them reported two or three times with the date a day off, the place a
few km off, other fatality figures and another era of the same army. Every record goes through the
store's real bulk path (``Store.add_many``: documents, ids, candidate lookup by (country, day),
blocking, matching, merges recorded). Prints figures; it is not a test.
"""
from __future__ import annotations

import argparse
import heapq
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sahelwatch.model import Document, Event

COUNTRIES = [  # name, ISO numeric, (lat_min, lat_max, lon_min, lon_max), state forces
    ("Niger", 562, (11.8, 18.0, 0.5, 12.0), "Military Forces of Niger"),
    ("Mali", 466, (11.5, 19.0, -11.0, 3.5), "Military Forces of Mali"),
    ("Burkina Faso", 854, (9.6, 14.8, -5.2, 2.0), "Military Forces of Burkina Faso"),
    ("Nigeria", 566, (10.0, 13.8, 8.0, 14.5), "Military Forces of Nigeria"),
    ("Chad", 148, (12.0, 16.0, 14.0, 20.0), "Military Forces of Chad"),
    ("Benin", 204, (9.5, 12.3, 1.0, 3.8), "Military Forces of Benin"),
    ("Togo", 768, (9.5, 11.1, 0.1, 1.7), "Military Forces of Togo"),
    ("Mauritania", 478, (15.0, 20.0, -12.0, -5.0), "Military Forces of Mauritania"),
]
AREAS = [(b[1] - b[0]) * (b[3] - b[2]) for _, _, b, _ in COUNTRIES]  # incidents spread evenly over the land
ARMED = ["JNIM: Group for Support of Islam and Muslims", "Islamic State (Sahel)", "Islamic State (West Africa)",
         "Ansaroul Islam", "Unidentified Armed Group"]
TYPES = [("Battles", "Armed clash"), ("Violence against civilians", "Attack"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED"), ("Battles", "Armed clash")]
START_DAY = 16436  # 2015-01-01
SPAN_DAYS = 3652  # ten years


def synthetic(n: int, seed: int = 42) -> Iterator[tuple[Document, list[Event], int]]:
    """n (document, [event], incident number) records in report order."""
    import datetime as dt

    rng = random.Random(seed)
    epoch = dt.date(1970, 1, 1)
    pending: list[tuple[float, int, int, Event]] = []
    made = incident = 0
    seq = 0
    per_day = n / 1.3 / SPAN_DAYS
    while made < n:
        day_f = START_DAY + incident / per_day
        while pending and pending[0][0] <= day_f and made < n:
            _, _, inc, ev = heapq.heappop(pending)
            made += 1
            yield _doc(made, inc, ev), [ev], inc
        if made >= n:
            break
        name, iso, (la0, la1, lo0, lo1), army = rng.choices(COUNTRIES, weights=AREAS)[0]
        day = int(day_f)
        etype, sub = TYPES[rng.randrange(len(TYPES))]
        actor1 = ARMED[rng.randrange(len(ARMED))]
        if actor1 == "Unidentified Armed Group":
            actor1 = f"Unidentified Armed Group ({name})"
        actor2 = f"Civilians ({name})" if etype == "Violence against civilians" else f"{army} (2021-)"
        lat, lon = rng.uniform(la0, la1), rng.uniform(lo0, lo1)
        fat = rng.choice([0, 0, 1, 2, 3, 5, 7, 12, 20])
        prec = 1 if rng.random() < 0.95 else rng.choice([2, 3])
        base = Event(event_date=(epoch + dt.timedelta(days=day)).isoformat(), time_precision=prec,
                     disorder_type="Political violence", event_type=etype, sub_event_type=sub, actor1=actor1,
                     inter1=2 if "Unidentified" not in actor1 else 3, actor2=actor2,
                     inter2=7 if actor2.startswith("Civilians") else 1, iso=iso, country=name,
                     admin1=f"{name}-R{int(lat * 2) % 9}", location=f"Site-{rng.randrange(100000)}",
                     latitude=round(lat, 4), longitude=round(lon, 4), geo_precision=1, fatalities=fat,
                     source=rng.choice(["Reuters", "AFP", "RFI", "ActuNiger", "Local radio"]),
                     civilian_targeting=etype == "Violence against civilians")
        copies = 1 + (rng.random() < 0.25) + (rng.random() < 0.05)
        for c in range(copies):
            ev = Event(**{**base.__dict__, "evidence": []})
            if c:
                ev.event_date = (epoch + dt.timedelta(days=day + rng.choice([-1, 0, 0, 1]))).isoformat()
                ev.latitude = round(lat + rng.uniform(-0.05, 0.05), 4)
                ev.longitude = round(lon + rng.uniform(-0.05, 0.05), 4)
                ev.fatalities = max(0, fat + rng.choice([-2, 0, 3, 5]))
                ev.source = rng.choice(["Le Faso", "Sidwaya", "Premium Times", "Al Jazeera", "AP News"])
                if ev.actor2.endswith("(2021-)"):
                    ev.actor2 = ev.actor2.replace("(2021-)", "(2015-2021)")
            seq += 1
            heapq.heappush(pending, (day_f + c * rng.uniform(0.2, 3.0), seq, incident, ev))
        incident += 1


def _doc(i: int, incident: int, ev: Event) -> Document:
    text = (f"Synthetic report {i} about incident {incident}: {ev.event_type} involving {ev.actor1} and "
            f"{ev.actor2} near {ev.location}, {ev.country}, {ev.fatalities} killed.")
    return Document(doc_id=f"syn-{i}-inc-{incident}", text=text, source=ev.source)


def run_ingest(n: int, db: str, batch: int, url: str | None = None) -> dict:
    from sahelwatch.store import Store

    path = Path(db)
    if url is None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    store = Store(url or f"sqlite:///{path}")
    t0, c0 = time.perf_counter(), time.process_time()
    incidents: set[int] = set()
    linked = added = 0
    chunk: list[tuple[Document, list[Event]]] = []
    in_store = 0.0  # seconds inside Store.add_many (the store's own work: generating the reports aside)
    for doc, evs, inc in synthetic(n):
        incidents.add(inc)
        chunk.append((doc, evs))
        if len(chunk) >= batch:
            t = time.perf_counter()
            r = store.add_many(chunk)
            in_store += time.perf_counter() - t
            linked, added, chunk = linked + r.events_linked, added + r.events_added, []
    if chunk:
        t = time.perf_counter()
        r = store.add_many(chunk)
        in_store += time.perf_counter() - t
        linked, added = linked + r.events_linked, added + r.events_added
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    load = os.getloadavg()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the purity check below
    live = store.count_events()
    purity = _purity(store)
    store.close()
    return {"records": n, "incidents": len(incidents), "live_events": live, "linked": linked, "added": added,
            "seconds": round(elapsed, 1), "store_seconds": round(in_store, 1), "cpu_seconds": round(cpu, 1),
            "records_per_s": round(n / elapsed), "load_avg_1_5_15": [round(x, 2) for x in load],
            "peak_rss_mb": round(peak),
            "backend": store.dialect,
            "db_mb": round(sum(os.path.getsize(str(path) + s) for s in ("", "-wal") if os.path.exists(str(path) + s))
                           / 1e6) if url is None else None, **purity}


def _purity(store) -> dict:
    """How well dedup found the incidents: merged groups holding one incident, incidents split apart."""
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT event_id, doc_id FROM event_sources")).all()
    groups: dict[str, set[str]] = {}
    where: dict[str, set[str]] = {}
    members: dict[str, dict[str, int]] = {}  # event -> incident -> records (a record outside the event's
    for eid, doc_id in rows:                 # most common incident was wrongly merged into it)
        inc = doc_id.rsplit("-inc-", 1)[1]
        groups.setdefault(eid, set()).add(inc)
        members.setdefault(eid, {}).setdefault(inc, 0)
        members[eid][inc] += 1
        where.setdefault(inc, set()).add(eid)
    wrong = sum(1 for g in groups.values() if len(g) > 1)
    split = sum(1 for e in where.values() if len(e) > 1)
    stray = sum(n - max(c.values()) for c in members.values() for n in [sum(c.values())])
    return {"events_mixing_incidents": wrong, "incidents_split": split, "wrongly_merged_records": stray,
            "wrongly_merged_pct": round(100 * stray / max(1, len(rows)), 2)}


def run_query(db: str, repeats: int, url: str | None = None) -> dict:
    from sahelwatch.store import Store

    store = Store(url or f"sqlite:///{db}")
    rng = random.Random(7)
    total = store.count_events()
    timings: dict[str, list[float]] = {"query_events(limit=100)": [], "count_events": [], "bbox+since": [],
                                       "text": []}
    import datetime as dt

    for _ in range(repeats):
        country = COUNTRIES[rng.randrange(len(COUNTRIES))][0]
        etype = TYPES[rng.randrange(3)][0]
        start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        filters = {"country": country, "event_type": etype, "since": start,
                   "until": start + dt.timedelta(days=rng.choice([30, 90, 365]))}
        t = time.perf_counter()
        store.query_events(**filters, limit=100)
        timings["query_events(limit=100)"].append(time.perf_counter() - t)
        t = time.perf_counter()
        store.count_events(**filters)
        timings["count_events"].append(time.perf_counter() - t)
        t = time.perf_counter()
        lat, lon = rng.uniform(10, 16), rng.uniform(-5, 10)
        store.query_events(bbox=(lon, lat, lon + 1, lat + 1), since=start, limit=100)
        timings["bbox+since"].append(time.perf_counter() - t)
        t = time.perf_counter()
        store.query_events(text=f"Site-{rng.randrange(100000)}", limit=100)
        timings["text"].append(time.perf_counter() - t)
    store.close()
    return {"backend": store.dialect, "events": total, "repeats": repeats,
            **{f"{k} median ms": round(statistics.median(v) * 1000, 1) for k, v in timings.items()},
            **{f"{k} p95 ms": round(sorted(v)[int(0.95 * len(v)) - 1] * 1000, 1) for k, v in timings.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("ingest")
    a.add_argument("--n", type=int, default=1_000_000)
    a.add_argument("--db", default="/tmp/sahelwatch-bench.db")
    a.add_argument("--batch", type=int, default=5000)
    a.add_argument("--postgres", action="store_true",
                   help="Also run on a throw-away PostgreSQL + PostGIS (tests/pg.py), then the query benchmark.")
    s = sub.add_parser("scaling")
    s.add_argument("--sizes", default="250000,500000,1000000")
    s.add_argument("--db", default="/tmp/sahelwatch-bench-{n}.db")
    q = sub.add_parser("query")
    q.add_argument("--db", default="/tmp/sahelwatch-bench.db")
    q.add_argument("--repeats", type=int, default=50)
    args = ap.parse_args()
    if args.cmd == "ingest" and args.postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        import pg

        server = pg.PgServer().start()
        try:
            url = server.new_database()
            print(json.dumps(run_ingest(args.n, args.db, args.batch, url=url)), flush=True)
            print(json.dumps(run_query(args.db, 50, url=url)))
        finally:
            server.stop()
    elif args.cmd == "ingest":
        print(json.dumps(run_ingest(args.n, args.db, args.batch)))
    elif args.cmd == "query":
        print(json.dumps(run_query(args.db, args.repeats)))
    else:
        results = []
        for n in (int(x) for x in args.sizes.split(",")):
            out = subprocess.run([sys.executable, __file__, "ingest", "--n", str(n), "--db", args.db.format(n=n)],
                                 check=True, capture_output=True, text=True).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), flush=True)
        for prev, cur in itertools.pairwise(results):
            ratio, cpu_ratio = cur["seconds"] / prev["seconds"], cur["cpu_seconds"] / prev["cpu_seconds"]
            print(f"{prev['records']:>9} -> {cur['records']:>9} records: time x{ratio:.2f}, CPU time x{cpu_ratio:.2f} "
                  f"(input x{cur['records'] / prev['records']:.1f})")


if __name__ == "__main__":
    main()

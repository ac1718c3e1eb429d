"""Cross-source linking benchmark: incidents told by wires, local radios, army communiques, armed groups'
claims, NGOs and French outlets (``tests/data/crosssource/reports.yaml``, written for the project).

    .venv/bin/python bench/bench_crosssource.py              # both modes
    .venv/bin/python bench/bench_crosssource.py --mode gold  # linking alone, on gold-like event records
    .venv/bin/python bench/bench_crosssource.py --jsonl out.jsonl   # the reports as a JSON Lines gold file

Reports go into a fresh SQLite store in publication order through the store's real path
(``Store.add_many``: ids, candidates, blocking, matching, merges). Two modes:

- ``gold``: each report's events are the records an analyst coded from that report alone (its own date,
  spelling, precision, toll, attackers, claim), so linking is measured apart from extraction errors;
- ``pipeline``: each report goes through ``sahelwatch.pipeline.extract_events`` first; an extracted event
  takes the gold cluster of the report's gold event it matches (same day within two, or
  within the coarser date precision; place within 50 km or the same name), else it is an extra record of its own.

Prints pairwise precision and recall of links (pairs of records put in one event) and B-cubed F1, with the
wrong and missed links. Figures, not a test (``tests/test_crosssource.py`` holds the assertions).
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from sahelwatch import codebook, dedup
from sahelwatch.model import Document, Event

EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "crosssource" / "reports.yaml"


def load(path: Path = DATA) -> list[tuple[Document, list[dict[str, Any]]]]:
    """(document, gold records) per report, in publication order; each record has its ``cluster``."""
    data = yaml.safe_load(path.read_text("utf-8"))
    out = []
    for rep in data["reports"]:
        doc = Document(doc_id=rep["doc"], text=rep["text"].strip(), source=rep["source"],
                       published=dt.date.fromisoformat(str(rep["published"])), language=rep.get("language", "en"))
        out.append((doc, [_record(data, doc, ev) for ev in rep["events"]]))
    out.sort(key=lambda p: (p[0].published, p[0].doc_id))
    return out


def _actor(data: dict, key: str, country: str) -> tuple[str, int | None]:
    if not key:
        return "", None
    name, inter = data["actors"][key]
    return name.format(country=country, era=data["eras"][country]), inter


def _record(data: dict, doc: Document, ev: dict[str, Any]) -> dict[str, Any]:
    """One gold-like event record: the incident's facts, overridden by what this report says."""
    facts = {**data["incidents"][ev["cluster"]], **ev}
    country, admin1, admin2, lat, lon, precision = data["places"][facts["place"]]
    etype = next(t for t in EVENT_TYPES if facts["type"].startswith(t + "/"))
    sub = facts["type"][len(etype) + 1:]
    actor1, inter1 = _actor(data, facts["a1"], country)
    actor2, inter2 = _actor(data, facts.get("a2") or "", country)
    return {
        "cluster": ev["cluster"], "doc_id": doc.doc_id, "event_date": str(facts["date"]),
        "time_precision": int(facts.get("tp", 1)), "event_type": etype, "sub_event_type": sub,
        "disorder_type": codebook.disorder_type(etype), "actor1": actor1, "inter1": inter1, "actor2": actor2,
        "inter2": inter2, "interaction": codebook.interaction(inter1, inter2), "country": country,
        "admin1": admin1, "admin2": admin2, "location": facts.get("as", facts["place"]),
        "latitude": lat, "longitude": lon, "geo_precision": int(facts.get("gp", precision)),
        "fatalities": int(facts.get("fat", 0)), "claimed": bool(facts.get("claimed", False)),
        "civilian_targeting": actor2.startswith("Civilians"), "source": doc.source,
        "salience": "background" if facts.get("bg") else "main",
        "evidence": [{"start": 0, "end": len(doc.text), "text": doc.text}],
    }


def gold_events(records: list[dict[str, Any]]) -> list[Event]:
    return [Event.from_dict({k: v for k, v in r.items() if k != "cluster"}) for r in records]


def _close(ev: Event, gold: dict[str, Any]) -> float | None:
    """How far an extracted event is from a gold record of its report (None: not the same incident)."""
    a, b = dedup.day_number(ev.event_date), dedup.day_number(gold["event_date"])
    window = max(2, dedup.date_window(ev.time_precision), dedup.date_window(gold["time_precision"]))
    if a is None or b is None or abs(a - b) > window:
        return None
    if ev.latitude is not None and gold["latitude"] is not None:
        km = dedup.distance_km(ev.latitude, ev.longitude, gold["latitude"], gold["longitude"])
    else:
        km = 0.0 if dedup.place_names_match(ev.location, gold["location"]) else 999.0
    if km > 50 and not dedup.place_names_match(ev.location, gold["location"]):
        return None
    return abs(a - b) * 10 + km


def label_extracted(events: list[Event], records: list[dict[str, Any]], doc_id: str) -> list[str]:
    """The gold cluster of each extracted event (each gold record taken once), else a cluster of its own."""
    pairs = sorted((d, i, j) for i, ev in enumerate(events) for j, g in enumerate(records)
                   if (d := _close(ev, g)) is not None)
    out = [f"extra:{doc_id}:{i}" for i in range(len(events))]
    used_e, used_g = set(), set()
    for _, i, j in pairs:
        if i not in used_e and j not in used_g:
            out[i] = records[j]["cluster"]
            used_e.add(i)
            used_g.add(j)
    return out


def run(mode: str, batch: int = 8) -> dict[str, Any]:
    """Ingest every report (gold records or extracted events) and score the links."""
    from sahelwatch.store import Store, ingest

    reports = load()
    gold_labels = [r["cluster"] for _, recs in reports for r in recs]
    pairs = []
    labels: list[str] = []
    t0 = time.perf_counter()
    for doc, recs in reports:
        if mode == "gold":
            evs = gold_events(recs)
            labels += [r["cluster"] for r in recs]
        else:
            from sahelwatch.pipeline import extract_events

            evs = extract_events(doc)
            labels += label_extracted(evs, recs, doc.doc_id)
        pairs.append((doc, evs))
    t_extract = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/bench.db") as store:
        ids: list[str] = []
        for i in range(0, len(pairs), batch):
            ingest.add_many(store.db, pairs[i:i + batch], ids_out=ids)
        predicted = _final_ids(store, ids)
    scores = score(labels, predicted, gold_labels)
    scores.update(mode=mode, reports=len(reports), records=len(labels), gold_records=len(gold_labels),
                  incidents=len(set(gold_labels)), events=len(set(predicted)), extract_seconds=round(t_extract, 1))
    scores["wrong_links"], scores["missed_links"] = _mistakes(labels, predicted, pairs)
    return scores


def _final_ids(store: Any, ids: list[str]) -> list[str]:
    """The live event each record ended in (a record's event may have been merged into another since)."""
    out = []
    for eid in ids:
        seen = set()
        while True:
            ev = store.get_event(eid)
            if not ev or not ev.get("merged_into") or eid in seen:
                break
            seen.add(eid)
            eid = ev["merged_into"]
        out.append(eid)
    return out


def _pairs(labels: list[str]) -> set[tuple[int, int]]:
    groups: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(lab, []).append(i)
    return {p for members in groups.values() for p in itertools.combinations(members, 2)}


def score(labels: list[str], predicted: list[str], gold_labels: list[str] | None = None) -> dict[str, Any]:
    """Pairwise link precision and recall, and B-cubed F1, of predicted events against gold clusters.

    ``labels``: the gold cluster of each scored record (extra records have clusters of their own);
    ``gold_labels``: every gold record, for recall over the links that should exist (records the
    extractor missed count as missed links)."""
    gold_pairs, pred_pairs = _pairs(labels), _pairs(predicted)
    good = len(gold_pairs & pred_pairs)
    all_gold = sum(n * (n - 1) // 2 for n in Counter(gold_labels or labels).values())
    precision = good / len(pred_pairs) if pred_pairs else 1.0
    recall = good / all_gold if all_gold else 1.0
    bp = br = 0.0
    for i in range(len(labels)):
        same_pred = {j for j in range(len(labels)) if predicted[j] == predicted[i]}
        same_gold = {j for j in range(len(labels)) if labels[j] == labels[i]}
        both = len(same_pred & same_gold)
        bp += both / len(same_pred)
        br += both / len(same_gold)
    n = max(1, len(labels))
    bp, br = bp / n, br / n
    f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
    return {"link_precision": round(precision, 3), "link_recall": round(recall, 3), "links_predicted": len(pred_pairs),
            "links_right": good, "links_gold": all_gold, "bcubed_precision": round(bp, 3),
            "bcubed_recall": round(br, 3), "bcubed_f1": round(f1, 3)}


def _mistakes(labels: list[str], predicted: list[str], pairs: list) -> tuple[list[str], list[str]]:
    names = [f"{doc.doc_id}#{i}" for doc, evs in pairs for i in range(len(evs))]
    wrong = sorted(f"{names[i]} ({labels[i]}) + {names[j]} ({labels[j]})" for i, j in _pairs(predicted) - _pairs(labels))
    missed = sorted(f"{names[i]} / {names[j]} ({labels[i]})" for i, j in _pairs(labels) - _pairs(predicted))
    return wrong, missed


def write_jsonl(path: str) -> None:
    """The reports as a gold file (GOLD_FORMAT, each event with its ``cluster``): `sahelwatch ingest` reads it."""
    with open(path, "w", encoding="utf-8") as out:
        for doc, recs in load():
            events = [{k: v for k, v in r.items() if k not in ("evidence", "doc_id", "source")} for r in recs]
            out.write(json.dumps({"doc_id": doc.doc_id, "source": doc.source, "published": doc.published.isoformat(),
                                  "language": doc.language, "text": doc.text, "events": events},
                                 ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["gold", "pipeline", "both"], default="both")
    ap.add_argument("--details", action="store_true", help="List every wrong and missed link.")
    ap.add_argument("--jsonl", help="Write the reports as a JSON Lines gold file and stop.")
    args = ap.parse_args()
    if args.jsonl:
        write_jsonl(args.jsonl)
        return
    for mode in (["gold", "pipeline"] if args.mode == "both" else [args.mode]):
        result = run(mode)
        wrong, missed = result.pop("wrong_links"), result.pop("missed_links")
        print(json.dumps(result), flush=True)
        print(f"  {mode}: {len(wrong)} wrong link(s), {len(missed)} missed link(s)", file=sys.stderr)
        if args.details:
            for w in wrong:
                print(f"    wrong:  {w}", file=sys.stderr)
            for m in missed:
                print(f"    missed: {m}", file=sys.stderr)


if __name__ == "__main__":
    main()

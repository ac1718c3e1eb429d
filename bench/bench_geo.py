"""Geocoding benchmark: gazetteer load time, geoparse time per article, and place accuracy.

    .venv/bin/python bench/bench_geo.py [--no-ner] [GOLD.jsonl ...]

Reads the dev gold files from ../shared/eval (or those given) at run time; without them it times
the project's own example sentences. For each gold event with a place it locates the event from
the mentions inside its evidence sentences (the article's mentions as context), as the pipeline
does, and reports: admin1 right, wrong country, median/mean error in km where gold has
coordinates, share within 10 km, and whether geoparse found the gold location name at all.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = [HERE.parent.parent / "shared" / "eval" / "dev_seeds.jsonl",
                HERE.parent.parent / "shared" / "eval" / "dev_news.jsonl"]
EXAMPLES = [
    "Gunmen attacked the village of Tongo Tongo near Ouallam in the Tillabéri region of Niger on Monday.",
    "Soldiers were ambushed on the road between Boni and Torodi, the defence ministry said.",
    "Suspected jihadists killed 12 civilians in Djibo, in Burkina Faso's Soum province.",
    "Boko Haram fighters stormed Zabarmari in Jere local government area of Borno State.",
]
# English and French forms of the same region (as the scorer in shared/eval treats them).
DATELINE = re.compile(r"^\s*(,\s*[A-Z][a-z]+\.?\s+\d{1,2})?\s*(\([A-Za-z .]{2,30}\)|[-—–])")
SPELLINGS = {"timbuktu": "tombouctou", "tillabery": "tillaberi", "centre nord": "centre north",
             "boucle du mouhoun": "mouhoun", "borno state": "borno", "lac": "lake chad"}


def norm(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
    return SPELLINGS.get(text, text)


def same(a, b) -> bool:
    from difflib import SequenceMatcher

    a, b = norm(a), norm(b)
    return bool(a and b) and (a == b or SequenceMatcher(None, a, b).ratio() >= 0.85)


def km(lat1, lon1, lat2, lon2) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def evidence_spans(text: str, evidence: str) -> list[tuple[int, int]]:
    spans = []
    for piece in re.split(r"\s*(?:\.\.\.|…)\s*", evidence or ""):
        piece = piece.strip()
        if not piece:
            continue
        i = text.find(piece)
        if i < 0:
            i = text.find(piece[:60])
        if i >= 0:
            spans.append((i, i + len(piece)))
    return spans


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--no-ner", action="store_true", help="geoparse without spaCy entities")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per gold event")
    args = ap.parse_args()

    t0 = time.perf_counter()
    from sahelwatch.geo import geoparse, load_gazetteer, locate

    gz = load_gazetteer(user=False)
    load_s = time.perf_counter() - t0
    print(f"gazetteer load: {load_s * 1000:.0f} ms ({len(gz.index)} names)")

    paths = args.gold or [p for p in DEFAULT_GOLD if p.exists()]
    docs = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            docs += [json.loads(line) for line in f if line.strip()]
    if not docs:
        docs = [{"doc_id": f"example-{i}", "text": t, "language": "en", "events": []} for i, t in enumerate(EXAMPLES)]
        print("no gold files found: timing the built-in example sentences")

    nlp_s = geo_s = 0.0
    rows = []
    for d in docs:
        text = d["text"]
        entities = []
        if not args.no_ner:
            from sahelwatch import nlp

            t = time.perf_counter()
            doc = nlp.load(d.get("language") or "en")(text)
            nlp_s += time.perf_counter() - t
            entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        t = time.perf_counter()
        mentions = geoparse(text, entities, gazetteer=gz, language=d.get("language") or "en")
        geo_s += time.perf_counter() - t
        # datelines ("COTONOU (AFP) -") are where a report was filed, not a place of the story
        mentions = [m for m in mentions if not DATELINE.match(text[m.end:m.end + 40])]
        for g in d.get("events", []):
            if not (g.get("location") or g.get("admin1")):
                continue
            spans = evidence_spans(text, g.get("evidence", ""))
            local = [m for m in mentions if any(s <= m.start < e for s, e in spans)]
            loc = locate(local, mentions, gazetteer=gz)
            found = not g.get("location") or any(
                same(g["location"], m.text) or (m.place and same(g["location"], m.place.name)) for m in mentions)
            err = None
            if loc and loc.latitude is not None and g.get("latitude") is not None:
                err = km(g["latitude"], g["longitude"], loc.latitude, loc.longitude)
            rows.append({"doc": d["doc_id"], "gold": g.get("location"), "gold_admin1": g.get("admin1"),
                         "pred": loc and loc.location, "pred_admin1": loc and loc.admin1,
                         "precision": loc and loc.geo_precision,
                         "country_ok": bool(loc) and same(loc.country, g.get("country")),
                         "wrong_country": bool(loc) and bool(g.get("country")) and not same(loc.country, g["country"]),
                         "admin1_ok": bool(loc) and same(loc.admin1, g.get("admin1")),
                         "found": found, "km": err})
    n_docs = len(docs)
    print(f"articles: {n_docs}; spaCy NER {nlp_s / n_docs * 1000:.1f} ms/article; "
          f"geoparse {geo_s / n_docs * 1000:.1f} ms/article "
          f"({100 * geo_s / max(nlp_s + geo_s, 1e-9):.1f}% of NER+geoparse)")
    if rows:
        if args.verbose:
            for r in rows:
                kms = f"{r['km']:.1f}" if r["km"] is not None else "-"
                print(f"  {r['doc'][:34]:34} gold={r['gold']!s:18} {r['gold_admin1']!s:12} pred={r['pred']!s:18} "
                      f"{r['pred_admin1']!s:14} p={r['precision']} km={kms} found={r['found']}")
        n = len(rows)
        errs = [r["km"] for r in rows if r["km"] is not None]
        print(f"gold events with a place: {n}")
        print(f"  admin1 right: {sum(r['admin1_ok'] for r in rows)}/{n} = {sum(r['admin1_ok'] for r in rows) / n:.0%}")
        print(f"  wrong country: {sum(r['wrong_country'] for r in rows)}; no location: "
              f"{sum(r['pred'] is None for r in rows)}")
        print(f"  gold location name found by geoparse: {sum(r['found'] for r in rows)}/{n}")
        if errs:
            print(f"  with gold coordinates: {len(errs)}; median error {statistics.median(errs):.1f} km; "
                  f"mean {statistics.mean(errs):.1f} km; within 10 km {sum(e <= 10 for e in errs)}/{len(errs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

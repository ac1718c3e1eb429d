"""How well the actor registry names the gold actors of the dev sets (not a test: prints figures).

For each gold event and side (actor1, actor2), the article is searched for the gold aliases; every
registry mention overlapping one is resolved with the gold country and date and judged with the
scorer's own ``actor_ok``. Also timed: find_mentions over all the articles.

    .venv/bin/python bench/actors_dev_gold.py [../shared/eval/dev_*.jsonl] [-v] [--no-spacy]
"""
from __future__ import annotations

import datetime as dt
import glob
import importlib.util
import json
import re
import sys
import time
from pathlib import Path

from sahelwatch.actors.registry import builtin_registry

HERE = Path(__file__).resolve().parents[1]


def _scorer():
    path = HERE.parent / "shared" / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("gold_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _timed(reg, texts: list[str]) -> float:
    t0 = time.perf_counter()
    for text in texts:
        reg.find_mentions(text)
    return time.perf_counter() - t0


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    files = [a for a in argv if not a.startswith("-")] or sorted(glob.glob(str(HERE.parent / "shared/eval/dev_*.jsonl")))
    score = _scorer()
    reg = builtin_registry()
    sides = found = ok = any_ok = overlaps = overlaps_ok = 0
    words = 0
    misses = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            doc = json.loads(line)
            text = doc["text"]
            mentions = reg.find_mentions(text)
            words += len(text.split())
            for ev in doc["events"]:
                date = dt.date.fromisoformat(ev["event_date"][:10])
                for side in ("actor1", "actor2"):
                    gold = ev.get(side) or []
                    if not gold:
                        continue
                    sides += 1
                    spans = []
                    for alias in gold:
                        for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", text, re.IGNORECASE):
                            spans.append((m.start(), m.end()))
                    hits = [m for m in mentions if any(m.start < e and s < m.end for s, e in spans)]
                    names = [reg.resolve(m, ev["country"], date).name for m in hits]
                    good = [n for n in names if score.actor_ok(n, gold)]
                    overlaps += len(names)
                    overlaps_ok += len(good)
                    found += bool(hits)
                    ok += bool(good)
                    any_ok += any(score.actor_ok(reg.resolve(m, ev["country"], date).name, gold) for m in mentions)
                    if verbose:
                        for m, n in zip(hits, names, strict=True):
                            if not score.actor_ok(n, gold):
                                print(f"  wrong: {doc['doc_id']} {side} {m.text!r} -> {n!r} (gold {gold[0]!r})")
                    if not good:
                        misses.append((doc["doc_id"], side, gold[0], sorted({m.text for m in hits}), sorted(set(names))))
    print(f"files: {', '.join(Path(f).name for f in files)}")
    print(f"gold actor sides: {sides}")
    print(f"  a gold alias in the text is found as a mention:        {found}/{sides} = {found / sides:.3f}")
    print(f"  ... and one such mention resolves to an accepted name: {ok}/{sides} = {ok / sides:.3f}")
    print(f"  mentions over gold aliases that resolve acceptably:    {overlaps_ok}/{overlaps} = "
          f"{overlaps_ok / max(overlaps, 1):.3f}")
    print(f"  some mention anywhere in the article resolves to it:   {any_ok}/{sides} = {any_ok / sides:.3f}")
    texts = [json.loads(line)["text"] for path in files
             for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    best = min(_timed(reg, texts) for _ in range(7))
    print(f"find_mentions speed (best of 7 passes): {words / best:,.0f} words/s ({words} words in {best * 1000:.1f} ms)")
    if "--no-spacy" not in argv:
        from sahelwatch.nlp import load_ner_only

        nlp = load_ner_only("en")
        list(nlp.pipe(texts[:2]))
        t0 = time.perf_counter()
        list(nlp.pipe(texts, batch_size=16))
        ner = time.perf_counter() - t0
        print(f"bare spaCy NER on the same texts (one process): {words / ner:,.0f} words/s; "
              f"find_mentions costs {best / ner:.1%} of it")
    if verbose or misses:
        print("misses (doc, side, gold canonical, mentions over gold aliases, their resolutions):")
        for miss in misses:
            print("  ", *miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

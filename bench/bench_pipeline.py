"""Whole-pipeline speed against bare spaCy NER on the same texts, in one run, on both cores.

    .venv/bin/python bench/bench_pipeline.py [--docs N] [--processes 2]

Texts: the dev gold articles from ../shared/eval when present (read at run time, not copied),
else the bundled examples; repeated to N documents. Prints words/second for both and the ratio
(target: the pipeline at least 0.40 of the NER model's own speed, with the parser on).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def texts() -> list[str]:
    out = []
    for f in sorted((ROOT.parent / "shared" / "eval").glob("dev_*.jsonl")):
        out += [json.loads(line)["text"] for line in f.open(encoding="utf-8") if line.strip()]
    if not out:
        from sahelwatch.ingest import read_inputs

        out = [d.text for d in read_inputs([str(ROOT / "examples")]) if hasattr(d, "text")]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args()
    base = [t for t in texts() if t]
    corpus = (base * (args.docs // len(base) + 1))[: args.docs]
    words = sum(len(t.split()) for t in corpus)

    from sahelwatch.model import Document
    from sahelwatch.nlp import load_ner_only
    from sahelwatch.pipeline import extract_many

    nlp = load_ner_only("en")
    t0 = time.perf_counter()
    for _ in nlp.pipe(corpus, batch_size=16, n_process=args.processes):
        pass
    ner = words / (time.perf_counter() - t0)

    docs = [Document(doc_id=f"d{i}", text=t, language="en") for i, t in enumerate(corpus)]
    t0 = time.perf_counter()
    n_events = sum(len(evs) for _d, evs in extract_many(docs, n_process=args.processes, batch_size=16))
    pipe = words / (time.perf_counter() - t0)
    print(f"documents {len(corpus)}, words {words}, processes {args.processes}")
    print(f"bare spaCy NER: {ner:,.0f} words/s")
    print(f"whole pipeline: {pipe:,.0f} words/s ({n_events} events)")
    print(f"ratio pipeline/NER: {pipe / ner:.2f} (target >= 0.40 with the dependency parser on)")


if __name__ == "__main__":
    main()

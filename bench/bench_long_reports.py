"""Long reports: time and peak memory of extracting one report of 50 KB to 2 MB, and of pathological inputs.

    .venv/bin/python bench/bench_long_reports.py                  # 50 KB, 200 KB, 1 MB, 2 MB, pathological
    .venv/bin/python bench/bench_long_reports.py --sizes 50000 200000 --no-pathological
    SAHELWATCH_TIME_BUDGET=30 .venv/bin/python bench/bench_long_reports.py --sizes   # the budget at work

Each case runs in a fresh Python process (so one case's memory does not count against the next);
the figure is that process's peak resident set size (``ru_maxrss``, which also counts the process it
was forked from: this small script, never a large one), models included, and the
wall time of ``sahelwatch.pipeline.extract_events`` alone (the models are loaded first, on a short
text). The text is news-like, written for the project (tests/newslike.py). The pathological cases:
one sentence repeated 20,000 times without a paragraph break, and 2 MB of words without any
sentence or paragraph break. ``time_budget`` is the pipeline's per-report budget
(SAHELWATCH_TIME_BUDGET); a case that exceeds it is reported as stopped.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {tests!r})
import newslike
from sahelwatch.model import Document
from sahelwatch.pipeline import ExtractionError, extract_events, time_budget

kind, size = sys.argv[1], int(sys.argv[2])
if kind == "news":
    text = newslike.long_report(size)
elif kind == "repeated":
    text = newslike.repeated_sentence(size)
else:
    text = ("word " * (size // 5 + 1))[:size]
extract_events(Document("warm", "Gunmen killed two people in Djibo on Monday.", language="en"))
warm_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    events, error = len(extract_events(Document("long", text, language="en"))), None
except ExtractionError as exc:
    events, error = None, str(exc)
seconds = time.perf_counter() - t0
print(json.dumps({{"bytes": len(text.encode("utf-8")), "seconds": seconds, "events": events, "error": error,
                  "models_mb": warm_rss / 1024, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "budget": time_budget()}}))
"""


def run(kind: str, size: int) -> dict:
    code = CHILD.format(tests=str(ROOT / "tests"))
    proc = subprocess.run([sys.executable, "-c", code, kind, str(size)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def show(label: str, r: dict) -> None:
    if "seconds" not in r:
        print(f"{label:34} FAILED: {r['error']}")
        return
    what = f"{r['events']:5} events (budget {r['budget']:.0f} s)" if r["error"] is None else f"stopped: {r['error']}"
    print(f"{label:34} {r['bytes'] / 1e6:6.2f} MB {r['seconds']:7.1f} s {r['seconds'] / (r['bytes'] / 1e6):6.1f} s/MB"
          f"  peak {r['peak_mb']:5.0f} MB (models {r['models_mb']:4.0f} MB)  {what}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[50_000, 200_000, 1_000_000, 2_000_000])
    ap.add_argument("--repeats", type=int, default=20_000, help="times the pathological sentence is repeated")
    ap.add_argument("--no-pathological", action="store_true")
    args = ap.parse_args()
    for size in args.sizes:
        show(f"news-like report, {size // 1000} KB", run("news", size))
    if not args.no_pathological:
        show(f"one sentence x {args.repeats}", run("repeated", args.repeats))
        show("2 MB without sentence breaks", run("nobreaks", 2_000_000))


if __name__ == "__main__":
    main()

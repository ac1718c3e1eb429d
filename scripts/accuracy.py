"""Every gold set's figures side by side (main / all / strict F1 and error classes), one process.

    .venv/bin/python scripts/accuracy.py [--details]
"""
from __future__ import annotations

import sys
from pathlib import Path

from sahelwatch.evaluate import _error_counts, evaluate_file

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT.parent / "shared/eval" / f"{n}.jsonl" for n in ("dev_seeds", "dev_news", "dev_real", "dev_fr")]
SETS += sorted((ROOT / "tests/data/corpus").glob("*.jsonl"))


def main() -> None:
    print(f"{'set':18} {'main':>5} {'all':>5} {'strict':>6}  errors")
    for path in SETS:
        if not path.exists():
            continue
        r = evaluate_file(str(path))
        errs = " ".join(f"{c.split()[0]}={n}" for c, n in _error_counts(r).items() if n)
        print(f"{path.stem:18} {r.main['f1']:5.2f} {r.all['f1']:5.2f} {r.strict_f1:6.2f}  {errs}", flush=True)


if __name__ == "__main__":
    sys.exit(main())

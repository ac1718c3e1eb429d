"""Scoring extraction against gold files (../shared/eval/GOLD_FORMAT.md), with the reference
scorer's matching rules: dates within a tolerance set by the gold time_precision, places within
50 km (or the same location name, or the same admin1 where gold names no location), one-to-one
matching closest pairs first.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

DATE_TOLERANCE = {1: 3, 2: 8, 3: 45}
MAX_KM = 50.0
FIELDS = ("event_type", "sub_event_type", "actor1", "actor2", "fatalities", "event_date", "admin1", "claimed")
# English and French forms of the same region name, after norm().
SPELLINGS = {"timbuktu": "tombouctou", "tillabery": "tillaberi", "centre nord": "centre north",
             "boucle du mouhoun": "mouhoun", "borno state": "borno", "lac": "lake chad", "lake": "lake chad"}


def norm(text: Any) -> str:
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\(.*?\)", " ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def same_name(a: Any, b: Any) -> bool:
    a, b = norm(a), norm(b)
    a, b = SPELLINGS.get(a, a), SPELLINGS.get(b, b)
    return bool(a and b) and (a == b or SequenceMatcher(None, a, b).ratio() >= 0.85)


def actor_ok(pred: Any, gold_aliases: list[str]) -> bool:
    p = norm(pred)
    if not gold_aliases:
        return not p
    if not p:
        return False
    for alias in gold_aliases:
        a = norm(alias)
        if p == a or re.search(rf"\b{re.escape(a)}\b", p) or re.search(rf"\b{re.escape(p)}\b", a):
            return True
    return False


def km(a: dict, b: dict) -> float | None:
    try:
        lat1, lon1, lat2, lon2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    except (KeyError, TypeError):
        return None
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def pair_cost(g: dict, p: dict) -> float | None:
    """None when p cannot be g; otherwise a closeness cost (lower is closer)."""
    gd, pd = _day(g.get("event_date")), _day(p.get("event_date"))
    if gd is None or pd is None:
        return None
    days = abs((gd - pd).days)
    if days > DATE_TOLERANCE.get(int(g.get("time_precision") or 1), 3):
        return None
    if g.get("country") and p.get("country") and not same_name(g["country"], p["country"]):
        return None
    dist = km(g, p)
    if dist is not None:
        if dist > MAX_KM and not same_name(g.get("location"), p.get("location")):
            return None
    elif g.get("location") and same_name(g.get("location"), p.get("location")):
        dist = 0.0
    elif g.get("admin1") and same_name(g.get("admin1"), p.get("admin1")):
        dist = MAX_KM
    else:
        return None
    return days + dist / 10.0


def match(golds: list[dict], preds: list[dict]) -> list[tuple[int, int]]:
    cands = sorted((c, gi, pi) for gi, g in enumerate(golds) for pi, p in enumerate(preds)
                   if (c := pair_cost(g, p)) is not None)
    pairs, used_g, used_p = [], set(), set()
    for _c, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


def _prf(tp: int, n_gold: int, n_pred: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp,
            "gold": n_gold, "pred": n_pred}


@dataclass
class Result:
    main: dict[str, float]
    all: dict[str, float]
    strict_f1: float
    field_accuracy: dict[str, float]
    median_km_error: float | None
    wrong_country: int
    per_doc: list[dict[str, Any]] = field(default_factory=list)


def score(gold_docs: list[dict], preds_by_doc: dict[str, list[dict]]) -> Result:
    tp_main = gold_main = pred_counted = tp_all = gold_all = pred_all = 0
    hits: dict[str, list[bool]] = {k: [] for k in FIELDS}
    errors_km: list[float] = []
    wrong_country = 0
    per_doc = []
    for doc in gold_docs:
        golds, preds = doc.get("events", []), preds_by_doc.get(doc["doc_id"], [])
        pairs = match(golds, preds)
        main_hits = sum(1 for gi, _ in pairs if golds[gi].get("salience", "main") == "main")
        n_main = sum(1 for g in golds if g.get("salience", "main") == "main")
        tp_main += main_hits
        gold_main += n_main
        pred_counted += len(preds) - (len(pairs) - main_hits)
        tp_all += len(pairs)
        gold_all += len(golds)
        pred_all += len(preds)
        for gi, pi in pairs:
            g, p = golds[gi], preds[pi]
            hits["event_type"].append(norm(g.get("event_type")) == norm(p.get("event_type")))
            hits["sub_event_type"].append(norm(g.get("sub_event_type")) == norm(p.get("sub_event_type")))
            hits["actor1"].append(actor_ok(p.get("actor1"), g.get("actor1") or []))
            hits["actor2"].append(actor_ok(p.get("actor2"), g.get("actor2") or []))
            hits["fatalities"].append(int(g.get("fatalities") or 0) == int(p.get("fatalities") or 0))
            hits["event_date"].append(_day(g.get("event_date")) == _day(p.get("event_date")))
            if g.get("admin1"):
                hits["admin1"].append(same_name(g.get("admin1"), p.get("admin1")))
            hits["claimed"].append(bool(g.get("claimed")) == bool(p.get("claimed")))
            if (d := km(g, p)) is not None:
                errors_km.append(d)
        gold_countries = {norm(g.get("country")) for g in golds if g.get("country")}
        wrong_country += sum(1 for p in preds if gold_countries and p.get("country")
                             and norm(p.get("country")) not in gold_countries)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        per_doc.append({"doc_id": doc["doc_id"], "gold": len(golds), "gold_main": n_main, "pred": len(preds),
                        "hit": len(pairs), "main_hit": main_hits,
                        "missed": [golds[i] for i in range(len(golds)) if i not in matched_g],
                        "spurious": [preds[i] for i in range(len(preds)) if i not in matched_p],
                        "pairs": [(golds[gi], preds[pi]) for gi, pi in pairs]})
    strict = sum(1 for t, a in zip(hits["event_type"], hits["actor1"]) if t and a)
    return Result(main=_prf(tp_main, gold_main, pred_counted), all=_prf(tp_all, gold_all, pred_all),
                  strict_f1=_prf(strict, gold_all, pred_all)["f1"],
                  field_accuracy={k: (sum(v) / len(v) if v else 0.0) for k, v in hits.items()},
                  median_km_error=statistics.median(errors_km) if errors_km else None,
                  wrong_country=wrong_country, per_doc=per_doc)


def load_gold(path: str) -> list[dict]:
    docs = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {lineno}: invalid JSON ({exc.msg})") from None
            if not isinstance(obj, dict) or "doc_id" not in obj or "text" not in obj:
                raise ValueError(f"line {lineno}: a gold article needs 'doc_id' and 'text'")
            docs.append(obj)
    return docs


def evaluate_file(path: str) -> Result:
    """Run the pipeline on a gold file's articles and score the result."""
    from sahelwatch.ingest.files import parse_date
    from sahelwatch.model import Document
    from sahelwatch.pipeline import extract_many

    gold_docs = load_gold(path)
    documents = [Document(doc_id=d["doc_id"], text=d["text"], published=parse_date(d.get("published")),
                          source=d.get("source"), url=d.get("url"), title=d.get("title"),
                          language=d.get("language")) for d in gold_docs]
    preds = {doc.doc_id: [e.to_dict() for e in evs] for doc, evs in extract_many(documents)}
    return score(gold_docs, preds)


def _brief(ev: dict) -> str:
    a1 = ev.get("actor1")
    a1 = a1[0] if isinstance(a1, list) and a1 else a1
    a2 = ev.get("actor2")
    a2 = a2[0] if isinstance(a2, list) and a2 else a2
    return (f"{ev.get('event_date')} p{ev.get('time_precision')} {ev.get('sub_event_type')} | {a1} vs {a2} | "
            f"{ev.get('location') or '-'} / {ev.get('admin1') or '-'} / {ev.get('country')} | "
            f"fat {ev.get('fatalities')} claimed {ev.get('claimed')}")


ERROR_CLASSES = ("place", "country", "actor1", "actor2", "type", "toll", "date", "claimed",
                 "missed incident", "extra incident")


def _pair_errors(g: dict, p: dict) -> list[str]:
    """The error classes of one matched pair: which fields the prediction got wrong."""
    errs = []
    if g.get("admin1") and not same_name(g.get("admin1"), p.get("admin1")) or (
            (d := km(g, p)) is not None and d > 10 and not same_name(g.get("location"), p.get("location"))):
        errs.append("place")
    if not actor_ok(p.get("actor1"), g.get("actor1") or []):
        errs.append("actor1")
    if not actor_ok(p.get("actor2"), g.get("actor2") or []):
        errs.append("actor2")
    if norm(g.get("event_type")) != norm(p.get("event_type")) or \
            norm(g.get("sub_event_type")) != norm(p.get("sub_event_type")):
        errs.append("type")
    if int(g.get("fatalities") or 0) != int(p.get("fatalities") or 0):
        errs.append("toll")
    if _day(g.get("event_date")) != _day(p.get("event_date")):
        errs.append("date")
    if bool(g.get("claimed")) != bool(p.get("claimed")):
        errs.append("claimed")
    return errs


def _near_miss(g: dict, p: dict) -> str | None:
    """Why an unmatched prediction that tells the same kind of incident missed a gold event, if it does."""
    if norm(g.get("event_type")) != norm(p.get("event_type")):
        return None
    gd, pd = _day(g.get("event_date")), _day(p.get("event_date"))
    date_ok = gd is not None and pd is not None and \
        abs((gd - pd).days) <= DATE_TOLERANCE.get(int(g.get("time_precision") or 1), 3)
    if not same_name(g.get("country"), p.get("country")):
        return "country" if date_ok else None
    if date_ok:
        return "place"
    place_ok = same_name(g.get("location"), p.get("location")) or ((d := km(g, p)) is not None and d <= MAX_KM)
    return "date" if place_ok else None


def classify_errors(result: Result) -> list[tuple[str, str, dict | None, dict | None]]:
    """Every error as (class, doc_id, gold event, predicted event): the classes of ERROR_CLASSES."""
    out = []
    for r in result.per_doc:
        for g, p in r["pairs"]:
            out += [(c, r["doc_id"], g, p) for c in _pair_errors(g, p)]
        spurious = list(r["spurious"])
        for g in r["missed"]:
            near = next(((why, p) for p in spurious if (why := _near_miss(g, p))), None)
            if near is not None:
                spurious.remove(near[1])
                out.append((near[0], r["doc_id"], g, near[1]))
            else:
                out.append(("missed incident", r["doc_id"], g, None))
        out += [("extra incident", r["doc_id"], None, p) for p in spurious]
    return out


def render(result: Result, as_json: bool = False, details: bool = False) -> str:
    if as_json:
        d = {k: v for k, v in result.__dict__.items() if k != "per_doc"}
        d["errors"] = {c: n for c, n in _error_counts(result).items() if n}
        return json.dumps(d, sort_keys=True)
    lines = [f"{'doc_id':44} gold main pred hit main_hit"]
    errors = classify_errors(result)
    for r in result.per_doc:
        lines.append(f"{r['doc_id'][:44]:44} {r['gold']:4} {r['gold_main']:4} {r['pred']:4} {r['hit']:3} "
                     f"{r['main_hit']:8}")
        if details:
            for cls, doc_id, g, p in errors:
                if doc_id != r["doc_id"]:
                    continue
                lines.append(f"    {cls.upper():16} GOLD {_brief(g) if g else '-'}")
                lines.append(f"    {'':16} PRED {_brief(p) if p else '-'}")
    m, a = result.main, result.all
    lines.append("")
    if details:
        lines.append("errors by class: " + ", ".join(f"{c} {n}" for c, n in _error_counts(result).items()))
    lines.append(f"main events: P {m['precision']:.2f} R {m['recall']:.2f} F1 {m['f1']:.2f}   "
                 f"all events: P {a['precision']:.2f} R {a['recall']:.2f} F1 {a['f1']:.2f}")
    lines.append("field accuracy on matched: " + ", ".join(f"{k} {v:.2f}" for k, v in result.field_accuracy.items()))
    lines.append(f"strict F1 (matched + type + actor1): {result.strict_f1:.2f}; median km error: "
                 f"{result.median_km_error}; events in a country the gold does not name: {result.wrong_country}")
    return "\n".join(lines)


def _error_counts(result: Result) -> dict[str, int]:
    counts = dict.fromkeys(ERROR_CLASSES, 0)
    for cls, *_ in classify_errors(result):
        counts[cls] += 1
    return counts

"""A subscription's alerts as an Atom 1.0 feed (RFC 4287), readable by any feed reader."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from sahelwatch.store.subscriptions import Subscription, SubscriptionAlert

ATOM = "http://www.w3.org/2005/Atom"
RULE_TITLES = {"escalation": "Escalation", "civilian_targeting_rise": "Civilian targeting rise",
               "new_area": "New area", "new_actor": "New actor",
               "state_violence_against_civilians": "State violence against civilians"}


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def describe(sub: Subscription) -> str:
    """The subscription's filter and rules in words."""
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in (
        ("country", sub.country), ("admin1", sub.admin1), ("admin2", sub.admin2), ("actor", sub.actor),
        ("event type", sub.event_type), ("min_fatalities", sub.min_fatalities)) if v not in (None, "")]
    rules = ", ".join(RULE_TITLES.get(r, r) for r in sub.rules) if sub.rules else "every rule"
    return f"{'; '.join(parts) or 'all events'}; {rules}, per {sub.period}"


def _map_link(base_url: str, alert: dict) -> str:
    """The web app showing the alert's events (its place, actor and period as filters)."""
    params = {k: alert.get(k) for k in ("country", "admin1", "actor")}
    params.update(since=alert.get("period_start"), until=alert.get("period_end"))
    return f"{base_url.rstrip('/')}/#{urlencode({k: v for k, v in params.items() if v})}"


def _entry(feed: ET.Element, sub: Subscription, item: SubscriptionAlert, base_url: str) -> None:
    a = item.alert
    entry = _sub(feed, "entry")
    _sub(entry, "id", f"urn:sahelwatch:subscription:{sub.id}:alert:{item.alert_key}")
    _sub(entry, "title", f"{RULE_TITLES.get(a.get('rule'), a.get('rule'))}: {a.get('area') or a.get('country')} "
                         f"({a.get('period')})")
    _sub(entry, "updated", item.found)
    _sub(entry, "published", item.found)
    _sub(entry, "link", rel="alternate", type="text/html", href=_map_link(base_url, a))
    _sub(entry, "category", term=str(a.get("rule", "")), label=RULE_TITLES.get(a.get("rule"), ""))
    _sub(entry, "summary", str(a.get("message", "")), type="text")
    numbers = [f"observed {a.get('observed'):g} {str(a.get('metric', '')).replace('_', ' ')}"
               if isinstance(a.get("observed"), int | float) else ""]
    if a.get("baseline") is not None:
        numbers.append(f"baseline {a['baseline']:.1f} per {sub.period}")
    if a.get("p_value") is not None:
        numbers.append(f"p = {a['p_value']:.2g}")
    lines = [str(a.get("message", "")), ", ".join(n for n in numbers if n),
             f"Period {a.get('period_start')} to {a.get('period_end')}.", f"Rule: {a.get('threshold', '')}"]
    _sub(entry, "content", "\n".join(x for x in lines if x), type="text")


def atom_feed(sub: Subscription, items: list[SubscriptionAlert], base_url: str) -> bytes:
    """The feed: one entry per alert found for the subscription (newest first), ids stable across reads."""
    ET.register_namespace("", ATOM)
    base = base_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"urn:sahelwatch:subscription:{sub.id}:{sub.created}")
    _sub(feed, "title", f"sahelwatch alerts: {sub.name}")
    _sub(feed, "subtitle", describe(sub))
    _sub(feed, "updated", max([i.found for i in items], default=sub.created))
    author = _sub(feed, "author")
    _sub(author, "name", "sahelwatch")
    _sub(feed, "generator", "sahelwatch")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/api/subscriptions/{sub.id}/feed.atom")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/")
    for item in items:
        _entry(feed, sub, item, base)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

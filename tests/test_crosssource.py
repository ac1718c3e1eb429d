"""Cross-source linking and corroboration on incidents told by several outlets (tests/data/crosssource, written
for the project): each difference real reporting has, each distractor, claims, denials, tolls, independence."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import bench_crosssource as bench  # noqa: E402

from sahelwatch.api.models import EventDetail  # noqa: E402
from sahelwatch.store import Store  # noqa: E402

REPORTS = bench.load()


def _ingest(store: Store, only: set[str] | None = None) -> dict[str, list[str]]:
    """Gold-like records of the reports (in publication order) into the store; doc_id -> event of each record."""
    out: dict[str, list[str]] = {}
    for doc, recs in REPORTS:
        if only is None or doc.doc_id in only:
            out[doc.doc_id] = store.add_extracted(doc, bench.gold_events(recs))
    return out


@pytest.fixture
def linked(store) -> tuple[Store, dict[str, list[str]]]:
    return store, _ingest(store)


def test_links_are_precise_and_complete_on_the_benchmark():
    result = bench.run("gold")
    assert result["link_precision"] >= 0.98 and result["link_recall"] >= 0.90, result
    assert result["events"] == result["incidents"] == 44


@pytest.mark.parametrize(("why", "a", "b"), [
    ("a weekday in one report, the date in another", "i01-reuters#0", "i01-mod#0"),
    ("another spelling of the village, placed only at its department", "i01-reuters#0", "i01-mod#0"),
    ("'at least 15' and 17", "i02-lefaso#0", "i02-afp#0"),
    ("attackers unnamed, then named weeks later", "i02-afp#0", "i02-hrw#0"),
    ("a claim before the confirmation, with a higher toll", "i09-claim#0", "i09-fama#0"),
    ("a day off: the night of Saturday to Sunday", "i09-fama#0", "i09-reuters#0"),
    ("the army names only the department", "i12-banouto#0", "i12-army#0"),
    ("French outlet, accented spelling", "i03-mod#0", "i03-rfi#0"),
    ("another spelling placed only at the province", "i20-afp#0", "i20-local#0"),
    ("a communal militia named by an NGO, unknown men for the radio", "i10-tamani#0", "i10-amnesty#0"),
    ("only the circle, a vaguer toll", "i23-tamani#0", "i23-hrw#0"),
    ("the weekend against Sunday", "i29-rfi#0", "i29-tamani#0"),
    ("short flash first, longer roundup later", "i21-flash#0", "i21-roundup#0"),
    ("the roundup's background incident links to its own earlier event", "i13-kalangou#0", "i21-roundup#1"),
    ("long NGO report first, short radio later", "i14-ocha#0", "i14-kalangou#0"),
    ("the NGO report's background incident", "i13-aniamey#0", "i14-ocha#1"),
    ("a recalled month-precise incident", "i02-lefaso#0", "i19-crisisgroup#1"),
    ("one wire telling two attacks", "i05-mod#0", "i0506-afp#0"),
    ("one wire telling two attacks (the other)", "i06-kalangou#0", "i0506-afp#1"),
])
def test_reports_of_one_incident_are_one_event(linked, why, a, b):
    _, ids = linked
    assert _event(ids, a) == _event(ids, b), why


@pytest.mark.parametrize(("why", "a", "b"), [
    ("the same town hit again a week later", "i02-afp#0", "i18-afp#0"),
    ("the same army post hit again a week later", "i03-mod#0", "i04-mod#0"),
    ("two attacks the same day 31 km apart by different groups", "i05-mod#0", "i06-kalangou#0"),
    ("the same day, 32 km apart, another group", "i36-afp#0", "i37-radio#0"),
    ("an army operation and the attack it answers", "i07-afp#0", "i08-aib#0"),
    ("a counter-offensive two days later, 33 km on", "i27-afp#0", "i28-aib#0"),
    ("mines on the same road a week apart", "i34-afp#0", "i35-omega#0"),
    ("the same day in another country", "i24-afp#0", "i25-mod#0"),
    ("the same town four months later", "i07-afp#0", "i39-hrw#0"),
])
def test_distractors_stay_apart(linked, why, a, b):
    _, ids = linked
    assert _event(ids, a) != _event(ids, b), why


def _event(ids: dict[str, list[str]], ref: str) -> str:
    doc, i = ref.split("#")
    return ids[doc][int(i)]


def test_outlets_carrying_one_agency_copy_count_once(linked):
    store, ids = linked
    ev = store.get_event(_event(ids, "i03-mod#0"))
    docs = {s["doc_id"] for s in ev["sources"]}
    assert {"i03-france24", "i03-lemonde"} <= docs
    assert ev["source_count"] == len(docs) == 6
    assert ev["independent_sources"] == 5  # France 24 (AFP) and Le Monde avec AFP: one copy


def test_a_claim_confirmed_by_another_source_is_no_longer_claimed(store):
    ids = _ingest(store, {"i09-claim"})
    alone = store.get_event(ids["i09-claim"][0])
    assert alone["claimed"] is True and alone["confirmed_by"] == ""
    assert alone["source_notes"][0]["note"] == "claim"
    ids = _ingest(store, {"i09-fama"})
    ev = store.get_event(ids["i09-fama"][0])
    assert ev["event_id"] == alone["event_id"]
    assert ev["claimed"] is False and ev["confirmed_by"] == "FAMa (army communique)"
    assert store.count_events(claimed=True) == 0 and store.count_events(confirmed=True) == 1


def test_the_claimants_own_outlet_does_not_confirm_its_claim(store):
    doc, recs = next((d, r) for d, r in REPORTS if d.doc_id == "i05-claim")
    unflagged = [{**recs[0], "claimed": False}]  # an extractor missing the claim: the outlet is still JNIM's
    store.add_extracted(doc, bench.gold_events(recs))
    from sahelwatch.model import Document

    copy = Document("i05-claim-copy", doc.text + " The statement was repeated on Telegram.", source=doc.source,
                    published=doc.published)
    [eid] = store.add_extracted(copy, bench.gold_events(unflagged))
    ev = store.get_event(eid)
    assert ev["source_count"] == 2 and ev["claimed"] is True and ev["confirmed_by"] == ""


def test_a_partys_denial_is_kept_as_a_note_and_a_later_report_confirms(store):
    ids = _ingest(store, {"i11-claim", "i11-denial"})
    ev = store.get_event(ids["i11-claim"][0])
    assert ids["i11-denial"] == ids["i11-claim"]
    assert ev["claimed"] is True and ev["status"] != "rejected" and store.count_events() == 1
    [denial] = [n for n in ev["source_notes"] if n["note"] == "denial"]
    assert denial["doc_id"] == "i11-denial" and "denied" in denial["text"]
    assert ev["fatalities"] == 100  # the denial gives no toll: it lowers nothing
    ids = _ingest(store, {"i11-reuters"})
    ev = store.get_event(ids["i11-reuters"][0])
    assert ev["claimed"] is False and ev["confirmed_by"] == "Reuters"
    assert ev["fatalities"] == 30 and ev["fatalities_max"] == 100
    assert {n["note"] for n in ev["source_notes"]} == {"claim", "denial"}


def test_conflicting_tolls_keep_the_lowest_with_each_source(linked):
    store, ids = linked
    ev = store.get_event(_event(ids, "i01-reuters#0"))
    assert (ev["fatalities"], ev["fatalities_min"], ev["fatalities_max"]) == (7, 7, 31)
    figures = {(f["source"], f["fatalities"]) for f in ev["fatality_figures"]}
    assert figures == {("Reuters", 7), ("Ministry of Defence of Niger", 27), ("az-Zallaqa (JNIM)", 31)}


def test_each_link_says_why_and_the_api_model_shows_it(linked):
    store, ids = linked
    detail = EventDetail.model_validate(store.get_event(_event(ids, "i01-reuters#0")))
    reasons = {s.doc_id: s.link_reason for s in detail.sources}
    assert reasons["i01-mod"] is None  # the first report (same day as Reuters', first by id) made the event
    why = reasons["i01-reuters"]
    assert why["date_gap_days"] == 0 and why["distance_km"] == pytest.approx(23.4, abs=0.5)
    assert why["places"] == ["Boni", "Bonni"] and why["same_place_name"] is True
    assert why["types"] == ["Battles", "Battles"]
    assert "unidentified armed group (niger)" in why["shared_actors"]
    assert all(m.reason and "date_gap_days" in m.reason for m in detail.merges)


def test_filters_on_sources_and_confirmation(linked):
    store, ids = linked
    total = store.count_events()
    assert total == 44
    three = store.query_events(min_sources=3, limit=None)
    assert three and all(e["independent_sources"] >= 3 for e in three)
    assert store.count_events(min_sources=3) < total
    # I42's only sources: the army's claim, then a radio confirming it
    assert store.get_event(_event(ids, "i42-fama#0"))["confirmed_by"] == "Studio Tamani"
    assert store.count_events(confirmed=False) + store.count_events(confirmed=True) == total


def test_acled_csv_sources_come_from_every_source(linked, tmp_path):
    import csv

    from sahelwatch.store.export import export_events

    store, ids = linked
    path = tmp_path / "events.csv"
    export_events(store.iter_events(min_sources=2), "acled-csv", path)
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    row = rows[_event(ids, "i12-banouto#0")]
    assert row["source"] == "Benin Armed Forces; Banouto; RFI"  # in the order they were stored
    from sahelwatch import dedup

    assert row["source_scale"] == dedup.combine_scales(dedup.source_scale_of(x) for x in row["source"].split("; "))
    assert row["source_scale"].startswith("Other-")  # three scales (National, Other, International), ACLED style


def test_reingesting_everything_changes_nothing(linked):
    store, ids = linked
    before = [(e["event_id"], e["source_count"], e["fatalities"], e["claimed"]) for e in store.query_events(limit=None)]
    again = _ingest(store)
    assert again == ids
    after = [(e["event_id"], e["source_count"], e["fatalities"], e["claimed"]) for e in store.query_events(limit=None)]
    assert after == before

"""The embedded gazetteer: its tables, spellings and lookup helpers."""
from __future__ import annotations

import csv
from importlib import resources

import pytest

from sahelwatch.geo import admin1_of, country_of, load_gazetteer

ADMIN1 = {
    "Niger": {"Agadez", "Diffa", "Dosso", "Maradi", "Niamey", "Tahoua", "Tillaberi", "Zinder"},
    "Mali": {"Bamako", "Gao", "Kayes", "Kidal", "Koulikoro", "Menaka", "Mopti", "Segou", "Sikasso", "Timbuktu",
             "Taoudeni"},
    "Burkina Faso": {"Boucle du Mouhoun", "Cascades", "Centre", "Centre-Est", "Centre-Nord", "Centre-Ouest",
                     "Centre-Sud", "Est", "Hauts-Bassins", "Nord", "Plateau-Central", "Sahel", "Sud-Ouest"},
}


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer(user=False)


def data_rows(name: str) -> list[dict]:
    with (resources.files("sahelwatch.geo") / "data" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t" if name.endswith(".tsv") else ","))


@pytest.mark.parametrize("country, regions", ADMIN1.items())
def test_admin1_names_are_acled_style(country, regions, gz):
    assert {a for (c, a) in gz.admin1 if c == country} == regions


@pytest.mark.parametrize("written, canonical, country", [
    ("Tillabéri", "Tillaberi", "Niger"), ("Tillabery", "Tillaberi", "Niger"), ("Ménaka", "Menaka", "Mali"),
    ("Téra", "Tera", "Niger"), ("Tombouctou", "Timbuktu", "Mali"), ("Ségou", "Segou", "Mali"),
    ("Asamaka", "Assamaka", "Niger"), ("Assamakka", "Assamaka", "Niger"), ("Aribinda", "Arbinda", "Burkina Faso"),
    ("Bourkou Bourkou", "Bourkou-Bourkou", "Niger"), ("Tongo-Tongo", "Tongo Tongo", "Niger"),
    ("Fada Ngourma", "Fada N'Gourma", "Burkina Faso"), ("Ndjamena", "N'Djamena", "Chad"),
])
def test_spellings_lead_to_one_place(written, canonical, country, gz):
    assert canonical in {p.name for p in gz.lookup(written, country)}


@pytest.mark.parametrize("province, region", [
    ("Yatenga", "Nord"), ("Soum", "Sahel"), ("Oudalan", "Sahel"), ("Loroum", "Nord"), ("Seno", "Sahel"),
    ("Tapoa", "Est"), ("Sanmatenga", "Centre-Nord"), ("Kossi", "Boucle du Mouhoun"),
])
def test_burkina_provinces_map_to_their_regions(province, region, gz):
    (p,) = [p for p in gz.lookup(province, "Burkina Faso") if p.kind == "admin2"]
    assert p.admin1 == region


@pytest.mark.parametrize("name, country", [
    ("Nigerien", "Niger"), ("Burkinabè", "Burkina Faso"), ("NE", "Niger"), ("Côte d'Ivoire", "Ivory Coast"),
    ("Djibo", "Burkina Faso"), ("Maiduguri", "Nigeria"), ("Tanougou", "Benin"), ("Atlantis", None),
])
def test_country_of(name, country, gz):
    assert country_of(name, gazetteer=gz) == country


@pytest.mark.parametrize("name, country, admin1", [
    ("Tillabéri", None, "Tillaberi"), ("Soum", None, "Sahel"), ("Inates", None, "Tillaberi"),
    ("Boni", "Mali", "Mopti"), ("Boni", "Burkina Faso", "Hauts-Bassins"), ("Gwoza", None, "Borno"),
    ("Nowhere-on-earth", None, None),
])
def test_admin1_of(name, country, admin1, gz):
    assert admin1_of(name, country, gazetteer=gz) == admin1


def test_curated_localities_are_several_hundred_with_known_regions(gz):
    rows = data_rows("localities.csv")
    assert len(rows) >= 400
    assert set(rows[0]) == {"name", "alternate_names", "country", "admin1", "admin2", "latitude", "longitude",
                            "feature", "source"}
    for row in rows:
        assert (row["country"], row["admin1"]) in gz.admin1, row["name"]
        assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180
        assert row["source"].startswith("curated")


def test_curated_places_lie_near_their_region_seat(gz):
    from sahelwatch.geo.gazetteer import km

    for row in data_rows("localities.csv"):
        seat = gz.admin1[(row["country"], row["admin1"])]
        place = next(p for p in gz.lookup(row["name"], row["country"]) if p.admin1 == row["admin1"])
        assert km(place, seat) < 900, row["name"]


def test_cities_have_mapped_regions(gz):
    rows = data_rows("cities.tsv")
    assert len(rows) > 2000
    assert all(r["admin1"] for r in rows)
    assert all((r["country"], r["admin1"]) in gz.admin1 for r in rows)


@pytest.mark.parametrize("name", ["Inates", "Tongo Tongo", "Makalondi", "Samira", "Anzourou", "Teguey",
                                  "Bankilare", "Seytenga", "Mansila", "Diapaga", "Solenzo", "Barsalogho", "Koshebe",
                                  "Mafa", "Pendjari National Park", "Ingar", "Thiou", "Nondin"])
def test_conflict_villages_are_in_the_embedded_gazetteer(name, gz):
    assert gz.lookup(name)


def test_every_curated_locality_is_found_and_placed_in_its_region(gz):
    from sahelwatch.geo import geoparse, locate

    wrong = []
    for row in data_rows("localities.csv"):
        text = f"Gunmen attacked {row['name']} in {row['country']} on Monday."
        mentions = geoparse(text, gazetteer=gz)
        loc = locate(mentions, mentions, gazetteer=gz)
        if loc is None or (loc.country, loc.admin1) != (row["country"], row["admin1"]):
            wrong.append(row["name"])
    assert wrong == []

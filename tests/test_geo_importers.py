"""Importing GeoNames dumps and places CSV files into the user gazetteer, and the CLI over it."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from sahelwatch.cli import main
from sahelwatch.geo import geoparse, load_gazetteer, locate
from sahelwatch.geo.importers import GazetteerFileError, import_files

CSV_HEADER = "name,alternate_names,country,admin1,admin2,latitude,longitude,feature\n"


def geonames_line(gid: int, name: str, lat: float, lon: float, cc: str = "NE", admin1: str = "09",
                  fclass: str = "P", fcode: str = "PPL", alternates: str = "", population: str = "0") -> str:
    cols = [str(gid), name, name, alternates, str(lat), str(lon), fclass, fcode, cc, "", admin1, "", "", "",
            population, "", "250", "Africa/Niamey", "2020-01-01"]
    assert len(cols) == 19
    return "\t".join(cols) + "\n"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "gazetteer.db"
    monkeypatch.setenv("SAHELWATCH_GAZETTEER", str(path))
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def count(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM places").fetchone()[0]
    finally:
        con.close()


def test_geonames_dump_maps_country_and_admin1_codes(tmp_path, db):
    dump = write(tmp_path / "NE.txt", geonames_line(9100001, "Kpatoumbaga", 14.61, 1.03, alternates="Kpatoumbanga")
                 + geonames_line(9100002, "Koure Kaina", 13.2, 12.5, admin1="02")
                 + geonames_line(9100003, "Mare Tabla", 14.0, 1.0, fclass="H", fcode="LK"))
    (result,) = import_files([dump], db)
    assert (result.added, result.skipped) == (2, 1)
    gz = load_gazetteer(db)
    (p,) = gz.lookup("Kpatoumbanga")
    assert (p.name, p.country, p.admin1, p.latitude) == ("Kpatoumbaga", "Niger", "Tillaberi", 14.61)
    assert gz.lookup("Koure Kaina")[0].admin1 == "Diffa"
    assert gz.lookup("Mare Tabla") == []


def test_csv_places_are_resolved_by_the_geoparser(tmp_path, db):
    places = write(tmp_path / "mine.csv", CSV_HEADER + "Wendou-Mbodji,Wendou Mbodji|Wendu,Burkina Faso,Sahel,Soum,"
                                                      "14.3,-1.4,PPL\n")
    import_files([places], db)
    gz = load_gazetteer(db)
    text = "Jihadists burned Wendou Mbodji on Sunday."
    mentions = geoparse(text, gazetteer=gz)
    loc = locate(mentions, mentions, gazetteer=gz)
    assert (loc.location, loc.country, loc.admin1, loc.latitude, loc.geo_precision) == (
        "Wendou-Mbodji", "Burkina Faso", "Sahel", 14.3, 1)


def test_the_embedded_gazetteer_works_without_any_import(db):
    assert not db.exists()
    assert load_gazetteer(db).lookup("Inates")


def test_reimporting_the_same_files_changes_nothing(tmp_path, db):
    dump = write(tmp_path / "ML.txt", geonames_line(9200001, "Tin Biden", 16.1, 0.2, cc="ML", admin1="09"))
    places = write(tmp_path / "p.csv", CSV_HEADER + "Dioungani,,Mali,Mopti,Koro,14.2,-2.9,PPL\n")
    first = import_files([dump, places], db)
    before = count(db)
    again = import_files([dump, places], db)
    assert [r.added for r in first] == [1, 1]
    assert [(r.added, r.updated, r.unchanged) for r in again] == [(0, 0, 1), (0, 0, 1)]
    assert count(db) == before == 2


def test_a_corrected_row_replaces_the_old_one(tmp_path, db):
    places = write(tmp_path / "p.csv", CSV_HEADER + "Dioungani,,Mali,Mopti,Koro,14.2,-2.9,PPL\n")
    import_files([places], db)
    write(places, CSV_HEADER + "Dioungani,,Mali,Mopti,Koro,14.25,-2.95,PPL\n")
    (result,) = import_files([places], db)
    assert (result.added, result.updated) == (0, 1)
    assert load_gazetteer(db).lookup("Dioungani")[0].latitude == 14.25


@pytest.mark.parametrize("name, content, line, message", [
    ("bad.csv", CSV_HEADER + "Dioungani,,Mali,Mopti,Koro,14.2,-2.9,PPL\nFoo,,Atlantis,,,1,1,PPL\n", 3,
     "unknown country 'Atlantis'"),
    ("bad.csv", CSV_HEADER + "Foo,,Mali,Mopti,,north,-2.9,PPL\n", 2, "latitude 'north' is not a number"),
    ("bad.csv", CSV_HEADER + "Foo,,Mali,Mopti,,14,-200,PPL\n", 2, "longitude -200.0 is outside -180..180"),
    ("bad.csv", CSV_HEADER + "Foo,,Mali\n", 2, "3 fields, the header has 8"),
    ("bad.csv", "town,lat,lon\nFoo,1,2\n", 1, "neither a GeoNames dump"),
    ("bad.txt", geonames_line(1, "A", 14, 1) + "2\tB\tB\n", 2, "3 tab-separated columns"),
    ("bad.txt", geonames_line(1, "A", 14, 1) + geonames_line(2, "B", 95, 1), 2, "latitude 95.0 is outside"),
])
def test_bad_files_name_file_and_line_and_import_nothing(tmp_path, db, name, content, line, message):
    good = write(tmp_path / "good.csv", CSV_HEADER + "Dioungani,,Mali,Mopti,Koro,14.2,-2.9,PPL\n")
    import_files([good], db)
    bad = write(tmp_path / name, content)
    with pytest.raises(GazetteerFileError) as err:
        import_files([bad], db)
    assert str(err.value).startswith(f"{bad}:{line}: ")
    assert message in str(err.value)
    assert count(db) == 1  # the good file's place is kept, nothing from the bad one


def test_cli_import_reports_each_file_and_fails_on_a_bad_one(tmp_path, db):
    good = write(tmp_path / "good.csv", CSV_HEADER + "Dioungani,,Mali,Mopti,Koro,14.2,-2.9,PPL\n")
    bad = write(tmp_path / "bad.csv", CSV_HEADER + "Foo,,Atlantis,,,1,1,PPL\n")
    later = write(tmp_path / "NE.txt", geonames_line(9100001, "Kpatoumbaga", 14.61, 1.03))
    result = CliRunner().invoke(main, ["gazetteer", "import", str(good), str(bad), str(later)])
    assert result.exit_code == 1
    assert f"{good}: places CSV: 1 added" in result.output
    assert f"{later}: GeoNames dump: 1 added" in result.output
    assert f"{bad}:2: unknown country 'Atlantis'" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert count(db) == 2


def test_cli_gazetteer_option_overrides_the_environment(tmp_path, db):
    other = tmp_path / "other.db"
    places = write(tmp_path / "p.csv", CSV_HEADER + "Dioungani,,Mali,Mopti,Koro,14.2,-2.9,PPL\n")
    result = CliRunner().invoke(main, ["gazetteer", "import", "--gazetteer", str(other), str(places)])
    assert result.exit_code == 0
    assert other.exists() and not db.exists()


@pytest.mark.parametrize("args, expected", [
    (["Boni"], ["Niger", "Mali", "Burkina Faso"]),
    (["Boni", "--country", "Mali"], ["Mali"]),
    (["Tillabéri"], ["Niger"]),
])
def test_cli_lookup_lists_candidates(args, expected, db):
    result = CliRunner().invoke(main, ["gazetteer", "lookup", *args])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "country", "admin1", "admin2", "lat", "lon", "feature", "population",
                                "source"]
    assert {c for c in expected if any(c in line for line in lines[1:])} == set(expected)
    if "--country" in args:
        assert all("Mali" in line for line in lines[1:])


def test_cli_lookup_shows_imported_places(tmp_path, db):
    places = write(tmp_path / "p.csv", CSV_HEADER + "Dioungani,,Mali,Mopti,Koro,14.2,-2.9,PPL\n")
    CliRunner().invoke(main, ["gazetteer", "import", str(places)])
    result = CliRunner().invoke(main, ["gazetteer", "lookup", "dioungani"])
    assert result.exit_code == 0
    assert "Dioungani" in result.output and "import:p.csv" in result.output


@pytest.mark.parametrize("args, message", [
    (["Nowhere-on-earth"], "no place named 'Nowhere-on-earth'"),
    (["Boni", "--country", "Atlantis"], "--country 'Atlantis': unknown country"),
])
def test_cli_lookup_errors_are_one_line(args, message, db):
    result = CliRunner().invoke(main, ["gazetteer", "lookup", *args])
    assert result.exit_code != 0
    assert result.stderr.strip() == f"sahelwatch: error: {message}"


def test_country_option_keeps_one_country_of_a_world_dump(tmp_path, db):
    dump = write(tmp_path / "allCountries.txt", geonames_line(9300001, "Kpatoumbaga", 14.61, 1.03)
                 + geonames_line(9300002, "Lyon-like", 45.7, 4.8, cc="FR", admin1="84"))
    result = CliRunner().invoke(main, ["gazetteer", "import", "--country", "NE", str(dump)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "1 skipped" in result.output
    assert count(db) == 1


def test_a_bad_row_late_in_a_file_rolls_the_whole_file_back(tmp_path, db):
    rows = "".join(geonames_line(9400000 + i, f"Village {i}", 14.0, 1.0) for i in range(50))
    dump = write(tmp_path / "NE.txt", rows + "9400999\tBroken\n")
    with pytest.raises(GazetteerFileError, match=r"NE.txt:51: "):
        import_files([dump], db)
    assert count(db) == 0

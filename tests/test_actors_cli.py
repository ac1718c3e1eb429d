"""`sahelwatch actors`: list, search and try out the actor registry from the command line."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from sahelwatch.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["actors", *args])


def test_search_jnim_lists_jnim_and_the_groups_under_it():
    result = run("--search", "jnim")
    assert result.exit_code == 0, result.output
    assert "JNIM: Group for Support of Islam and Muslims" in result.output
    assert "Katiba Macina" in result.output  # parent JNIM
    assert "Boko Haram" not in result.output
    assert re.fullmatch(r"[5-9] of \d+ actors", result.output.splitlines()[-1])


@pytest.mark.parametrize(("search", "expected"), [
    ("Etat islamique au Grand Sahara", "Islamic State (Sahel)"),  # a French alias, accents dropped
    ("wagner", "Wagner Group"),
    ("bazoum", "Mohamed Bazoum"),
])
def test_search_finds_an_actor_by_any_of_its_names(search, expected):
    result = run("--search", search)
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_without_search_every_actor_is_listed_with_its_columns():
    result = run()
    assert result.exit_code == 0
    header = result.output.splitlines()[1]
    for column in ("name", "short", "inter", "parent", "countries", "aliases"):
        assert column in header
    assert "Islamic State (West Africa)" in result.output


def test_a_search_with_no_match_fails_with_a_message():
    result = run("--search", "no such group anywhere")
    assert result.exit_code == 1
    assert "no actor matches" in result.output


def test_a_user_file_adds_actors_to_the_listing(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("actors:\n  - name: Katiba Hanifa\n    inter: 2\n    aliases: [Hanifa brigade]\n", encoding="utf-8")
    result = run("--actors", str(path), "--search", "hanifa")
    assert result.exit_code == 0, result.output
    assert "Katiba Hanifa" in result.output


def test_a_malformed_user_file_is_one_line_naming_it_and_exit_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("actors:\n  - name: Bad\n    inter: eleven\n", encoding="utf-8")
    result = run("--actors", str(path))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"sahelwatch: error: {path}:2: actor 'Bad': 'inter' must be an ACLED inter code 1-8, got 'eleven'"]


def test_resolve_shows_how_each_mention_is_coded():
    result = run("--resolve", "Nigerien soldiers and VDP fought JNIM near Djibo.", "--country", "Burkina Faso",
                 "--date", "2022-05-01")
    assert result.exit_code == 0, result.output
    assert "Military Forces of Niger (2021-2023)" in result.output
    assert "VDP: Volunteers for the Defense of the Homeland" in result.output
    assert "JNIM: Group for Support of Islam and Muslims" in result.output


def test_eras_lists_the_regime_eras_with_their_dates():
    result = run("--eras", "--search", "burkina")
    assert result.exit_code == 0, result.output
    assert "2022-01-24" in result.output and "2022-09-29" in result.output
    assert "Military Forces of Burkina Faso (2022-2022)" in result.output
    assert "Niger" not in result.output

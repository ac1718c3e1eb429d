"""sahelwatch.errors: each error a user can meet is one CLI line with its exit code, and one API error shape."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sahelwatch import errors
from sahelwatch.api.auth import Token
from sahelwatch.cli import main
from sahelwatch.settings import Settings

KINDS = [
    (errors.ConfigError("setting engine: bad"), 2, 500, "bad_setting"),
    (errors.DatabaseError("cannot open database x"), 2, 503, "database_unavailable"),
    (errors.NotFound("no event 'X'"), 1, 404, "not_found"),
    (errors.InvalidRequest("fatalities -3: cannot be negative"), 2, 400, "invalid_request"),
    (errors.PayloadTooLarge("too big"), 2, 413, "too_large"),
    (errors.EngineError("cannot reach the Dask scheduler"), 2, 503, "engine_unavailable"),
]


@pytest.mark.parametrize(("exc", "exit_code", "status", "code"), KINDS)
def test_each_error_has_an_exit_code_a_status_and_a_code(exc, exit_code, status, code):
    assert (exc.exit_code, exc.status, exc.code) == (exit_code, status, code)
    assert str(exc) == exc.message and "\n" not in str(exc)


def test_not_found_and_invalid_request_are_still_key_and_value_errors():
    assert isinstance(errors.NotFound("x"), KeyError) and str(errors.NotFound("no event 'X'")) == "no event 'X'"
    assert isinstance(errors.InvalidRequest("x"), ValueError)


def test_an_input_error_says_where_and_survives_pickling():
    import pickle

    err = errors.InputError("reports.jsonl", "invalid JSON", 3)
    assert str(err) == "reports.jsonl:3: invalid JSON"
    assert pickle.loads(pickle.dumps(err)) == err


@pytest.mark.parametrize(("args", "env", "exit_code", "message"), [
    (["events", "--db", "postgresql://nobody@127.0.0.1:1/none"], {}, 2, "cannot open database"),
    (["events"], {"SAHELWATCH_ENGINE": "spark"}, 2, "SAHELWATCH_ENGINE"),
    (["alerts", "--db", "nosuchdriver://x/y"], {}, 2, "cannot read events"),
    (["events", "--bbox", "1,2"], {}, 2, "bbox"),
])
def test_the_cli_prints_one_line_and_exits_with_the_code(monkeypatch, tmp_path, args, env, exit_code, message):
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == exit_code
    assert message in result.output and "Traceback" not in result.output


@pytest.fixture
def app(tmp_path):
    from sahelwatch.api.app import create_app

    return create_app(Settings(db=str(tmp_path / "e.db")), token=Token("secret", "test"), warm=False)


@pytest.mark.parametrize(("exc", "exit_code", "status", "code"), KINDS)
def test_the_api_answers_the_error_shape_with_the_status(app, exc, exit_code, status, code):
    @app.get("/raise")
    def _raise() -> None:
        raise exc

    response = TestClient(app).get("/raise")
    assert response.status_code == status
    assert response.json() == {"error": {"code": code, "message": str(exc)}}


def test_an_unexpected_failure_is_a_500_in_the_error_shape(app):
    @app.get("/boom")
    def _boom() -> None:
        raise RuntimeError("a bug")

    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"

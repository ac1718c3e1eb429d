"""sahelwatch.api.auth: where the API token comes from, and who may read without it."""
from __future__ import annotations

import stat

import pytest
from fastapi.testclient import TestClient

from sahelwatch.api.auth import Token, is_loopback, load_token, presented_token, token_path


@pytest.fixture
def no_env_token(monkeypatch, tmp_path):
    monkeypatch.delenv("SAHELWATCH_TOKEN", raising=False)
    monkeypatch.delenv("SAHELWATCH_TOKEN_FILE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "sahelwatch" / "token"


def test_first_start_creates_a_private_token_file_and_reuses_it(no_env_token):
    first = load_token()
    assert first.origin == str(no_env_token) == str(token_path())
    assert stat.S_IMODE(no_env_token.stat().st_mode) == 0o600
    assert len(first.value) >= 32
    assert load_token() == first


def test_the_environment_wins_over_the_file(no_env_token, monkeypatch):
    load_token()
    monkeypatch.setenv("SAHELWATCH_TOKEN", "from-env")
    assert load_token() == Token("from-env", "SAHELWATCH_TOKEN")


def test_token_file_location_can_be_set(no_env_token, monkeypatch, tmp_path):
    monkeypatch.setenv("SAHELWATCH_TOKEN_FILE", str(tmp_path / "elsewhere" / "tok"))
    assert load_token().origin == str(tmp_path / "elsewhere" / "tok")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o602])
def test_a_token_file_open_to_other_users_is_refused(no_env_token, mode):
    from sahelwatch.api.auth import UnsafeTokenFile

    load_token()
    no_env_token.chmod(mode)
    with pytest.raises(UnsafeTokenFile, match=f"open to other users \\(mode {mode:o}\\).*chmod 600"):
        load_token()
    no_env_token.chmod(0o600)
    assert load_token().origin == str(no_env_token)


@pytest.mark.parametrize(("headers", "expected"), [
    ({"authorization": "Bearer abc"}, "abc"),
    ({"authorization": "bearer  abc "}, "abc"),
    ({"x-sahelwatch-token": "abc"}, "abc"),
    ({"authorization": "Basic abc"}, None),
    ({}, None),
])
def test_presented_token(headers, expected):
    assert presented_token(headers) == expected


@pytest.mark.parametrize(("host", "expected"), [
    ("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("localhost", True),
    ("192.168.1.20", False), ("10.0.0.1", False), ("203.0.113.9", False), (None, False), ("", False),
])
def test_loopback_addresses(host, expected):
    assert is_loopback(host) is expected


@pytest.fixture
def app(tmp_path):
    from sahelwatch.api.app import create_app
    from sahelwatch.store import Store

    store = Store(f"sqlite:///{tmp_path / 'auth.db'}")
    yield create_app(store=store, token=Token("secret", "test"))
    store.close()


@pytest.mark.parametrize(("client", "headers", "status"), [
    (("127.0.0.1", 5000), {}, 200),
    (("203.0.113.9", 5000), {}, 401),
    (("203.0.113.9", 5000), {"Authorization": "Bearer secret"}, 200),
    (("203.0.113.9", 5000), {"Authorization": "Bearer nope"}, 401),
])
def test_reading_is_open_on_loopback_only(app, client, headers, status):
    with TestClient(app, client=client) as c:
        assert c.get("/api/events", headers=headers).status_code == status

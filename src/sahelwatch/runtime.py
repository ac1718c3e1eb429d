"""Applying the settings to the extraction stages of this process: spaCy model names, actor files, gazetteer,
and the user files that reviews teach (places CSV, actors file).

Called at each edge that extracts (a CLI verb, the API app factory, a Dask worker's first task).
"""
from __future__ import annotations

from sahelwatch.errors import ConfigError
from sahelwatch.settings import Settings


def configure_extraction(settings: Settings) -> None:
    """Make this process's pipeline use the models, actor files, gazetteer and user files of ``settings``.

    The user places CSV and the user actors file are read again whenever they change (a review that
    teaches a village or an alias), so a running server extracts the next report with them.
    """
    from sahelwatch import nlp
    from sahelwatch.actors import ActorFileError, configure, configure_learned
    from sahelwatch.geo.gazetteer import configure_db_path, configure_places_path

    nlp.configure(settings.models)
    configure_db_path(settings.gazetteer)
    _check_places(settings)
    configure_places_path(settings.user_places_path())
    try:
        configure_learned(settings.user_actors_path())
        if settings.actors:
            configure(list(settings.actors))
    except ActorFileError as exc:
        raise ConfigError(str(exc)) from None


def _check_places(settings: Settings) -> None:
    """A user places CSV that exists must read as ``sahelwatch gazetteer import`` reads it: ConfigError FILE:LINE."""
    from sahelwatch.geo.gazetteer import load_gazetteer
    from sahelwatch.geo.importers import GazetteerFileError, read_csv

    path = settings.user_places_path()
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        for _row in read_csv(path, load_gazetteer(user=False)):
            pass
    except GazetteerFileError as exc:
        raise ConfigError(f"user places file (SAHELWATCH_USER_PLACES) {exc}") from None

"""Applying the settings to the extraction stages of this process: spaCy model names, actor files, gazetteer.

Called at each edge that extracts (a CLI verb, the API app factory, a Dask worker's first task).
"""
from __future__ import annotations

from sahelwatch.errors import ConfigError
from sahelwatch.settings import Settings


def configure_extraction(settings: Settings) -> None:
    """Make this process's pipeline use the models, actor files and gazetteer of ``settings``."""
    from sahelwatch import nlp
    from sahelwatch.actors import ActorFileError, configure
    from sahelwatch.geo.gazetteer import configure_db_path

    nlp.configure(settings.models)
    configure_db_path(settings.gazetteer)
    if settings.actors:
        try:
            configure(list(settings.actors))
        except ActorFileError as exc:
            raise ConfigError(str(exc)) from None

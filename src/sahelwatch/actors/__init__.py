"""Actor registry: canonical Sahel actors, their aliases, inter codes, parents and eras (issue 4).

Interface the pipeline relies on (keep it stable):

- ``default_registry() -> Registry``: the built-in registry merged with the configured user
  files (``Settings.actors``: ``SAHELWATCH_ACTORS``), loaded once per process; a bad user file is warned about and the built-in one used.
- ``Registry.load(paths)`` / ``load_registry(paths)``: the same with explicit files (``--actors``);
  a bad file raises :class:`ActorFileError` (one line: file, line, entry, problem).
  ``configure(paths)`` makes such files part of ``default_registry()`` for this process and its workers.
- ``Registry.find_mentions(text) -> list[ActorMention]``: every actor mention in a text, longest
  match first, non-overlapping, in text order, with character offsets into ``text``.
- ``Registry.resolve(mention, country, date) -> ResolvedActor``: the canonical ACLED-style name
  and inter code of a mention for an event in ``country`` on ``date``.

The data lives in ``actors.yaml`` beside this file.
"""
from sahelwatch.actors.data import ActorFileError
from sahelwatch.actors.registry import (
    ActorMention,
    Registry,
    ResolvedActor,
    builtin_registry,
    configure,
    configure_learned,
    default_registry,
    load_registry,
)

__all__ = ["ActorFileError", "ActorMention", "Registry", "ResolvedActor", "builtin_registry", "configure", "configure_learned",
           "default_registry", "load_registry"]

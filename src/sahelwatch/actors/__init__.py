"""Actor registry: canonical Sahel actors, their aliases, inter codes and eras (issue: actor registry).

Interface the pipeline relies on (keep it stable):

- ``default_registry() -> Registry``: the built-in registry merged with ``SAHELWATCH_ACTORS`` (a
  user file), loaded once per process.
- ``Registry.find_mentions(text) -> list[ActorMention]``: every actor mention in a text, longest
  match first, non-overlapping, with character offsets into ``text``.
- ``Registry.resolve(mention, country, date) -> ResolvedActor``: the canonical ACLED-style name
  and inter code of a mention for an event in ``country`` on ``date``.
"""
from sahelwatch.actors.registry import ActorMention, Registry, ResolvedActor, default_registry

__all__ = ["ActorMention", "Registry", "ResolvedActor", "default_registry"]

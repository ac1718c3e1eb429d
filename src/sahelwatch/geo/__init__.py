"""Gazetteer and geocoding that places villages, not just cities.

Interface the pipeline relies on (keep it stable):

- ``geoparse(text, entities=(), gazetteer=None, language="en") -> list[PlaceMention]``: every place mention in an article
  (gazetteer names and the NER spans given as ``(start, end, label)``), in text order and
  non-overlapping, each resolved in the article's context (countries and regions it names,
  distances between its places, population, feature class) or left with ``place=None`` and
  ``kind="unknown"`` when no gazetteer entry fits. ``near=True`` for "near X", "between X and Y",
  "X area", "the X-Y road" (geo_precision 2); ``cue`` is "in", "near" or "". ``road=True`` for the ends of a
  named road; ``context=True`` for where a report was told or people went ("police in Kaduna state said",
  "NIAMEY (Reuters) -", "fled to Djibo"), which ``locate`` uses only as context. The words around names
  are read in ``language`` only ("en", "fr": ``data/cues_<language>.yaml``).
- ``locate(local, article) -> Location | None``: the place of one event, from the mentions in the
  event's own sentences (``local``, in text order) with the whole article's mentions as context.

Helpers:

- ``country_of(name)``: the country a name denotes or lies in (country names, ISO codes,
  demonyms such as "Nigerien", place and region names), or None.
- ``admin1_of(name, country=None)``: the ACLED admin1 of a place or region name, or None.
- ``load_gazetteer(path=None, user=True)``: the embedded gazetteer merged with the user's
  imported places (``$SAHELWATCH_GAZETTEER`` or ``~/.local/share/sahelwatch/gazetteer.db``);
  loaded once, on first use. ``Gazetteer.lookup(name, country=None)`` lists candidates.
- ``import_files(paths, db_path)`` (in ``sahelwatch.geo.importers``): GeoNames dumps and
  local CSV files into the user gazetteer.
"""
from sahelwatch.geo.gazetteer import Gazetteer, Location, Place, PlaceMention, load_gazetteer
from sahelwatch.geo.resolve import admin1_of, country_of, geoparse, locate

__all__ = ["Gazetteer", "Location", "Place", "PlaceMention", "admin1_of", "country_of", "geoparse", "load_gazetteer",
           "locate"]

"""Gazetteer and geocoding (issue: gazetteer and geocoding that places villages).

Interface the pipeline relies on (keep it stable):

- ``geoparse(text, entities=()) -> list[PlaceMention]``: every place mention in an article
  (gazetteer names and the NER spans given as ``(start, end, label)``), each resolved in the
  article's context (countries and regions it names, distances between its places) or left
  with ``place=None`` when no gazetteer entry fits.
- ``locate(local, article) -> Location | None``: the place of one event, from the mentions in the
  event's own sentences (``local``, in text order) with the whole article's mentions as context.
"""
from sahelwatch.geo.gazetteer import Location, Place, PlaceMention, geoparse, locate

__all__ = ["Location", "Place", "PlaceMention", "geoparse", "locate"]

"""The place index: searchable names of a city (streets, places, addresses, stops)."""

from routing.places.index import NothingNear, PlaceIndex, PlaceIndexError
from routing.places.normalize import normalize

__all__ = ["NothingNear", "PlaceIndex", "PlaceIndexError", "normalize"]

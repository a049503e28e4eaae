"""The base map's vector tiles, read from the build's PMTiles archive for ``/api/basemap/tiles``.

The archive is memory-mapped once per worker process; a tile is a slice of it, sent gzip-encoded
as stored when the client accepts gzip (every browser does) and unpacked otherwise.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from pmtiles.reader import MmapSource, Reader

MAX_TILE_ZOOM = 30  # beyond any zoom a tile id can hold; bounds the path before it is read


class TileArchive:
    """One open PMTiles archive of MVT tiles."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._get: Callable[[int, int], bytes] = MmapSource(self._file)
        self._reader = Reader(self._get)
        header = self._reader.header()
        self.minzoom = int(header["min_zoom"])
        self.maxzoom = int(header["max_zoom"])
        self.gzipped = int(header["tile_compression"].value) == 2  # pmtiles Compression.GZIP

    def tile(self, z: int, x: int, y: int, *, gzip_ok: bool) -> bytes | None:
        """The tile's bytes (gzip when ``gzip_ok`` and stored so), or None when it holds nothing."""
        if not self.minzoom <= z <= self.maxzoom or not (0 <= x < 2**z and 0 <= y < 2**z):
            return None
        data = self._reader.get(z, x, y)
        if data is None:
            return None
        return data if gzip_ok or not self.gzipped else gzip.decompress(data)


__all__ = ["MAX_TILE_ZOOM", "TileArchive"]

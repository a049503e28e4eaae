"""Node elevations from a GeoTIFF digital elevation model (EPSG:4326), bilinear interpolation."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import tifffile
from numpy.typing import NDArray

from routing.core.errors import BuildError

_GEOGRAPHIC_WGS84 = 4326


class Dem:
    """A north-up raster in geographic WGS84 coordinates."""

    def __init__(self, path: Path) -> None:
        try:
            with tifffile.TiffFile(path) as tif:
                page = tif.pages[0]
                tags = {t.name: t.value for t in page.tags.values()}  # type: ignore[union-attr]
                data = page.asarray()
        except (tifffile.TiffFileError, OSError, ValueError) as exc:
            raise BuildError(f"{path.name}: not a readable GeoTIFF ({exc})", argument="dem") from exc
        if "ModelPixelScaleTag" not in tags or "ModelTiepointTag" not in tags:
            raise BuildError(f"{path.name}: GeoTIFF has no georeferencing tags", argument="dem")
        epsg = _epsg(tags.get("GeoKeyDirectoryTag"))
        if epsg != _GEOGRAPHIC_WGS84:
            raise BuildError(
                f"{path.name}: the DEM is in {_crs_name(epsg)}, not geographic WGS84 (EPSG:4326); "
                "reproject it first, e.g. `gdalwarp -t_srs EPSG:4326 in.tif out.tif`",
                argument="dem",
            )
        if data.ndim == 3:
            data = data[..., 0] if data.shape[-1] < data.shape[0] else data[0]
        sx, sy = float(tags["ModelPixelScaleTag"][0]), float(tags["ModelPixelScaleTag"][1])
        tie = tags["ModelTiepointTag"]
        self.x0, self.y0 = float(tie[3]) - float(tie[0]) * sx, float(tie[4]) + float(tie[1]) * sy
        self.sx, self.sy = sx, sy
        self.z = data.astype(np.float64)
        nodata = tags.get("GDAL_NODATA")
        if nodata is not None:
            with contextlib.suppress(ValueError):
                self.z[self.z == float(str(nodata).strip("\x00 "))] = np.nan

    def sample(self, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
        """Elevation in metres at each point (0 outside the raster or on no-data cells)."""
        rows, cols = self.z.shape
        # Pixel-is-area: cell centres sit half a pixel in from the tie point.
        fx = (lon - self.x0) / self.sx - 0.5
        fy = (self.y0 - lat) / self.sy - 0.5
        x0 = np.clip(np.floor(fx).astype(np.int64), 0, cols - 2)
        y0 = np.clip(np.floor(fy).astype(np.int64), 0, rows - 2)
        tx, ty = np.clip(fx - x0, 0, 1), np.clip(fy - y0, 0, 1)
        z = self.z
        top = z[y0, x0] * (1 - tx) + z[y0, x0 + 1] * tx
        bottom = z[y0 + 1, x0] * (1 - tx) + z[y0 + 1, x0 + 1] * tx
        out = top * (1 - ty) + bottom * ty
        outside = (fx < -0.5) | (fy < -0.5) | (fx > cols - 0.5) | (fy > rows - 0.5)
        out[outside | ~np.isfinite(out)] = 0.0
        return out


def _epsg(geokeys: object) -> int | None:
    """The geographic or projected EPSG code from a GeoKeyDirectory, if present."""
    if not isinstance(geokeys, tuple | list) or len(geokeys) < 4:
        return None
    keys = geokeys[4:]
    found: dict[int, int] = {}
    for i in range(0, len(keys) - 3, 4):
        key_id, location, _count, value = keys[i : i + 4]
        if location == 0:
            found[int(key_id)] = int(value)
    # 3072 = ProjectedCSTypeGeoKey, 2048 = GeographicTypeGeoKey
    return found.get(3072) or found.get(2048)


def _crs_name(epsg: int | None) -> str:
    """``EPSG:32723 (WGS 84 / UTM zone 23S)``, naming the system when pyproj knows it."""
    if epsg is None:
        return "an unknown projection (no EPSG code in its GeoKeys)"
    try:
        import pyproj

        return f"EPSG:{epsg} ({pyproj.CRS.from_epsg(epsg).name})"
    except Exception:  # noqa: BLE001 - pyproj missing or code unknown: the number alone still names it
        return f"EPSG:{epsg}"

"""Reading MVT tiles back in tests: the protobuf wire format and the geometry commands, written from
the Mapbox Vector Tile 2.1 specification (not with the encoder under test)."""

from __future__ import annotations

import math
from typing import Any

from routing.build.mvt import EXTENT


def _varint(data: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def _fields(data: bytes) -> list[tuple[int, Any]]:
    """A protobuf message as (field number, int or bytes) pairs: the wire format, read plainly."""
    out: list[tuple[int, Any]] = []
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
            out.append((number, value))
        elif wire == 2:
            length, i = _varint(data, i)
            out.append((number, data[i : i + length]))
            i += length
        else:
            raise AssertionError(f"wire type {wire} in a tile")
    return out


def decode(tile: bytes) -> dict[str, dict[str, Any]]:
    """Layer name -> {extent, version, features: [(type, [uint32 geometry])]}."""
    layers = {}
    for number, layer in _fields(tile):
        assert number == 3
        fields = _fields(layer)
        name = next(v for n, v in fields if n == 1).decode()
        features = []
        for feature in (v for n, v in fields if n == 2):
            parts = dict(_fields(feature))
            packed, geometry, i = parts[4], [], 0
            while i < len(packed):
                value, i = _varint(packed, i)
                geometry.append(value)
            features.append((parts[3], geometry))
        layers[name] = {"extent": dict(fields)[5], "version": dict(fields)[15], "features": features}
    return layers


def paths(geometry: list[int]) -> list[list[tuple[int, int]]]:
    """The geometry commands back to paths of absolute tile coordinates (ClosePath repeats the start)."""
    out: list[list[tuple[int, int]]] = []
    x = y = i = 0
    while i < len(geometry):
        command, count = geometry[i] & 7, geometry[i] >> 3
        i += 1
        if command == 7:
            out[-1].append(out[-1][0])
            continue
        for _ in range(count):
            dx, dy = geometry[i], geometry[i + 1]
            i += 2
            x += (dx >> 1) ^ -(dx & 1)
            y += (dy >> 1) ^ -(dy & 1)
            if command == 1:
                out.append([])
            out[-1].append((x, y))
    return out


def lonlat(z: int, x: int, y: int, px: int, py: int) -> tuple[float, float]:
    scale = EXTENT * 2**z
    lon = (x * EXTENT + px) / scale * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y * EXTENT + py) / scale))))
    return lon, lat

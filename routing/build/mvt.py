"""A Mapbox Vector Tile (MVT 2.1) encoder for the base map's untagged lines and areas.

The layers of the base map carry no properties (names are drawn by the page from ``labels.json``),
so a tile is one feature per layer: a MultiLineString or a MultiPolygon in tile coordinates
(integers, y down, ``EXTENT`` per side). The protobuf wire format is written by hand: the few
fields a tile needs are simpler than a dependency whose protobuf pin clashes with the GTFS-Realtime
bindings'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

EXTENT = 4096
_VERSION = 2
_LINESTRING = 2
_POLYGON = 3
_MOVE_TO, _LINE_TO, _CLOSE_PATH = 1, 2, 7

Ring = Sequence[tuple[int, int]]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _varint_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _command(command: int, count: int) -> int:
    return (command & 0x7) | (count << 3)


def _dedupe(points: Ring) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for point in points:
        if not out or out[-1] != point:
            out.append(point)
    return out


def signed_area(ring: Ring) -> float:
    """Twice the signed area by the surveyor's formula; MVT wants exterior rings positive."""
    return float(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)))


def _geometry(paths: Iterable[Ring], *, closed: bool) -> list[int]:
    ints: list[int] = []
    cx = cy = 0
    for path in paths:
        points = _dedupe(path)
        if closed and len(points) > 1 and points[0] == points[-1]:
            points = points[:-1]  # ClosePath draws the last edge
        if len(points) < (3 if closed else 2):
            continue
        ints.append(_command(_MOVE_TO, 1))
        x, y = points[0]
        ints += [_zigzag(x - cx), _zigzag(y - cy)]
        cx, cy = x, y
        ints.append(_command(_LINE_TO, len(points) - 1))
        for x, y in points[1:]:
            ints += [_zigzag(x - cx), _zigzag(y - cy)]
            cx, cy = x, y
        if closed:
            ints.append(_command(_CLOSE_PATH, 1))
    return ints


def encode_layer(name: str, *, lines: Sequence[Ring] = (), rings: Sequence[Ring] = ()) -> bytes:
    """One MVT layer with at most one feature, or b"" when nothing is left to draw.

    Parameters
    ----------
    name
        The layer name the page's style refers to.
    lines
        Line strings in tile coordinates (the feature is a MultiLineString).
    rings
        Polygon rings in tile coordinates, each exterior (positive area) followed by its holes
        (negative area); the feature is a MultiPolygon. Only one of ``lines`` and ``rings``.
    """
    if lines and rings:
        raise ValueError("a layer feature is either lines or rings")
    closed = bool(rings)
    commands = _geometry(rings if closed else lines, closed=closed)
    if not commands:
        return b""
    packed = b"".join(_varint(i) for i in commands)
    feature = _varint_field(1, 1) + _varint_field(3, _POLYGON if closed else _LINESTRING) + _field(4, packed)
    layer = _varint_field(15, _VERSION) + _field(1, name.encode("utf-8")) + _field(2, feature)
    return _field(3, layer + _varint_field(5, EXTENT))


__all__ = ["EXTENT", "encode_layer", "signed_area"]

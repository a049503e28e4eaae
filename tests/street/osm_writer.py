"""Write a tiny OSM XML file from nodes, ways and relations given inline (for street fixtures)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

Member = tuple[str, int, str]  # ("node" | "way", ref, role)


def write_osm_xml(
    path: Path,
    nodes: dict[int, tuple[float, float]],
    ways: dict[int, tuple[list[int], dict[str, str]]],
    relations: dict[int, tuple[list[Member], dict[str, str]]] | None = None,
    *,
    node_tags: dict[int, dict[str, str]] | None = None,
) -> Path:
    """``nodes``: id → (lat, lon); ``ways``: id → (node ids, tags); ``relations``: id → (members, tags)."""
    node_tags = node_tags or {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="greenroute-tests">']
    for nid, (lat, lon) in nodes.items():
        tags = node_tags.get(nid, {})
        if not tags:
            lines.append(f'  <node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>')
            continue
        lines.append(f'  <node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}">')
        lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
        lines.append("  </node>")
    for wid, (refs, tags) in ways.items():
        lines.append(f'  <way id="{wid}" version="1">')
        lines += [f'    <nd ref="{n}"/>' for n in refs]
        lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
        lines.append("  </way>")
    for rid, (members, tags) in (relations or {}).items():
        lines.append(f'  <relation id="{rid}" version="1">')
        lines += [f'    <member type="{t}" ref="{ref}" role="{role}"/>' for t, ref, role in members]
        lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
        lines.append("  </relation>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path

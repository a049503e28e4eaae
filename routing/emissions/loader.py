"""Read, validate and cache the emission-factor packs of ``seeds/factors/*.toml``.

A pack file has a ``[pack]`` table, a ``[[source]]`` list and a ``[[factor]]`` list; it may
declare ``components`` (e.g. energy and construction) that every factor splits its value into,
and ``[[variant]]`` tables that are packs of their own built from a subset of those components
(so ADEME's energy-only figures come from the same numbers as its life-cycle ones). Anything
wrong is a :class:`~routing.core.errors.FactorPackError` naming the file and line.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeGuard

from routing.core.errors import FactorPackError
from routing.core.home import factors_dir
from routing.emissions.modes import KNOWN_MODES, unit_ok
from routing.emissions.pack import Factor, FactorPack

_NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")  # fullmatch: "$" accepts a trailing newline
_TOP_KEYS = frozenset({"pack", "source", "factor", "variant"})
_PACK_KEYS = frozenset(
    {
        "name",
        "title",
        "scope",
        "scope_note",
        "year",
        "region",
        "status",
        "status_note",
        "default_car",
        "default_car_note",
        "notes",
        "components",
    }
)
_PACK_REQUIRED = ("name", "title", "scope", "year", "region", "default_car")
_VARIANT_KEYS = frozenset({"name", "title", "scope", "scope_note", "components", "notes"})
_SOURCE_KEYS = frozenset({"id", "publisher", "title", "table", "url"})
_SOURCE_REQUIRED = ("id", "publisher", "title", "url")
_FACTOR_KEYS = frozenset(
    {
        "mode",
        "label",
        "value",
        "components",
        "unit",
        "source",
        "row",
        "note",
        "scope",
        "year",
        "region",
        "same_as",
    }
)
_ALIAS_KEYS = frozenset({"mode", "same_as", "note"})
_UNITS = ("g/vehicle-km", "g/passenger-km")

# (path, mtime_ns, size) -> every pack the file defines (the base pack and its variants)
_CACHE: dict[tuple[Path, int, int], dict[str, FactorPack]] = {}


class _Locator:
    """Find the line of a table entry or key in the raw TOML (tomllib keeps no positions)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line(self, header: str, index: int = 0, key: str | None = None) -> int | None:
        seen = -1
        start = None
        for no, raw in enumerate(self.lines):
            if raw.strip() == header:
                seen += 1
                if seen == index:
                    start = no
                    break
        if start is None:
            return None
        if key is None:
            return start + 1
        key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for no in range(start + 1, len(self.lines)):
            stripped = self.lines[no].strip()
            if stripped.startswith("[") and stripped.endswith("]"):
                break
            if key_re.match(self.lines[no]):
                return no + 1
        return start + 1

    def fail(self, message: str, header: str, index: int = 0, key: str | None = None) -> None:
        no = self.line(header, index, key)
        where = f"{self.path}:{no}" if no else f"{self.path} {header}"
        raise FactorPackError(f"{where}: {message}", argument="pack")


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_keys(loc: _Locator, table: Mapping[str, Any], allowed: frozenset[str], header: str, index: int = 0) -> None:
    for key in table:
        if key not in allowed:
            loc.fail(f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})", header, index, key)


def _source_text(src: Mapping[str, str], row: str | None) -> str:
    parts = [f"{src['publisher']}: {src['title']}"]
    if src.get("table"):
        parts.append(f"table {src['table']}")
    if row:
        parts.append(f"row {row}")
    parts.append(src["url"])
    return "; ".join(parts)


def _parse_pack_table(loc: _Locator, data: dict[str, Any]) -> dict[str, Any]:
    head = data.get("pack")
    if not isinstance(head, dict):
        loc.fail("the [pack] table is missing", "[pack]")
        raise AssertionError  # pragma: no cover - fail() raises
    _check_keys(loc, head, _PACK_KEYS, "[pack]")
    for key in _PACK_REQUIRED:
        if key not in head:
            loc.fail(f"[pack] {key} is missing", "[pack]")
    for key in ("name", "title", "scope", "region", "default_car"):
        if not _text(head[key]):
            loc.fail(f"[pack] {key} must be a non-empty string", "[pack]", 0, key)
    if head["name"] != loc.path.stem:
        loc.fail(
            f"[pack] name {head['name']!r} differs from the file name {loc.path.stem!r}",
            "[pack]",
            0,
            "name",
        )
    year = head["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
        loc.fail(f"[pack] year {year!r} is not a year", "[pack]", 0, "year")
    comps = head.get("components", [])
    if not isinstance(comps, list) or not all(_text(c) for c in comps) or len(set(comps)) != len(comps):
        loc.fail("[pack] components must be a list of distinct names", "[pack]", 0, "components")
    notes = head.get("notes", [])
    if not isinstance(notes, list) or not all(_text(n) for n in notes):
        loc.fail("[pack] notes must be a list of strings", "[pack]", 0, "notes")
    return head


def _parse_sources(loc: _Locator, data: dict[str, Any]) -> dict[str, dict[str, str]]:
    raw = data.get("source")
    if not isinstance(raw, list) or not raw:
        loc.fail("the pack cites no source: add at least one [[source]]", "[pack]")
        raise AssertionError  # pragma: no cover
    sources: dict[str, dict[str, str]] = {}
    for i, src in enumerate(raw):
        _check_keys(loc, src, _SOURCE_KEYS, "[[source]]", i)
        for key in _SOURCE_REQUIRED:
            if not _text(src.get(key)):
                loc.fail(f"source #{i + 1}: {key} is missing or empty", "[[source]]", i, key)
        if src["id"] in sources:
            loc.fail(f"source id {src['id']!r} is used twice", "[[source]]", i, "id")
        sources[src["id"]] = {k: str(v) for k, v in src.items()}
    return sources


def _factor_value(
    loc: _Locator, raw: Mapping[str, Any], i: int, comps: list[str]
) -> tuple[float | None, dict[str, float]]:
    where = f"factor #{i + 1} ({raw.get('mode')!r})"
    if comps:
        if "value" in raw:
            loc.fail(
                f"{where}: this pack splits values into components {comps}; give components, not value",
                "[[factor]]",
                i,
                "value",
            )
        parts = raw.get("components")
        if not isinstance(parts, dict) or sorted(parts) != sorted(comps):
            loc.fail(f"{where}: components must be exactly {comps}", "[[factor]]", i, "components")
            raise AssertionError  # pragma: no cover
        for name, v in parts.items():
            if not _number(v) or v < 0:
                loc.fail(
                    f"{where}: component {name} = {v!r} must be a number >= 0",
                    "[[factor]]",
                    i,
                    "components",
                )
        return None, {k: float(v) for k, v in parts.items()}
    if "components" in raw:
        loc.fail(f"{where}: the [pack] declares no components", "[[factor]]", i, "components")
    v = raw.get("value")
    if not _number(v) or v < 0:
        loc.fail(f"{where}: value {v!r} must be a number >= 0", "[[factor]]", i, "value")
    return float(v), {}


def _parse_factors(
    loc: _Locator, data: dict[str, Any], head: dict[str, Any], sources: dict[str, dict[str, str]]
) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str, int]]]:
    """Return the direct factors (as plain records) and the aliases (target, note, index)."""
    raw_list = data.get("factor")
    if not isinstance(raw_list, list) or not raw_list:
        loc.fail("the pack has no [[factor]]", "[pack]")
        raise AssertionError  # pragma: no cover
    comps: list[str] = list(head.get("components", []))
    direct: dict[str, dict[str, Any]] = {}
    aliases: dict[str, tuple[str, str, int]] = {}
    for i, raw in enumerate(raw_list):
        mode = raw.get("mode")
        where = f"factor #{i + 1} ({mode!r})"
        if mode not in KNOWN_MODES:
            loc.fail(
                f"{where}: unknown mode {mode!r} (known: {', '.join(sorted(KNOWN_MODES))})",
                "[[factor]]",
                i,
                "mode",
            )
        if mode in direct or mode in aliases:
            loc.fail(f"{where}: mode {mode!r} appears twice", "[[factor]]", i, "mode")
        if "same_as" in raw:
            _check_keys(loc, raw, _ALIAS_KEYS, "[[factor]]", i)
            if not _text(raw.get("note")):
                loc.fail(f"{where}: a same_as factor must say why in a note", "[[factor]]", i)
            aliases[mode] = (str(raw["same_as"]), str(raw["note"]), i)
            continue
        _check_keys(loc, raw, _FACTOR_KEYS, "[[factor]]", i)
        if "scope" in raw and raw["scope"] != head["scope"]:
            loc.fail(
                f"{where}: scope {raw['scope']!r} differs from the pack's {head['scope']!r}; "
                "one pack (one comparison) never mixes scopes",
                "[[factor]]",
                i,
                "scope",
            )
        unit = raw.get("unit")
        if unit not in _UNITS:
            loc.fail(f"{where}: unit {unit!r} must be one of {_UNITS}", "[[factor]]", i, "unit")
        if not unit_ok(mode, unit):
            loc.fail(
                f"{where}: unit {unit!r} does not suit mode {mode!r} (cars are per vehicle-km, "
                "public transport and personal modes per passenger-km)",
                "[[factor]]",
                i,
                "unit",
            )
        if raw.get("source") not in sources:
            loc.fail(
                f"{where}: source {raw.get('source')!r} is not a [[source]] id ({', '.join(sources)})",
                "[[factor]]",
                i,
                "source",
            )
        year = raw.get("year", head["year"])
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
            loc.fail(f"{where}: year {year!r} is not a year", "[[factor]]", i, "year")
        for key in ("label", "note", "row", "region"):
            if key in raw and not _text(raw[key]):
                loc.fail(f"{where}: {key} must be a non-empty string", "[[factor]]", i, key)
        value, parts = _factor_value(loc, raw, i, comps)
        direct[mode] = {
            "value": value,
            "components": parts,
            "unit": unit,
            "source": _source_text(sources[raw["source"]], raw.get("row")),
            "year": year,
            "region": raw.get("region", head["region"]),
            "label": raw.get("label", ""),
            "note": raw.get("note", ""),
        }
    for mode, (target, _note, i) in aliases.items():
        if target not in direct:
            loc.fail(
                f"factor #{i + 1} ({mode!r}): same_as {target!r} is not a factor with its own value",
                "[[factor]]",
                i,
                "same_as",
            )
    return direct, aliases


def _build(
    loc: _Locator,
    head: dict[str, Any],
    sources: dict[str, dict[str, str]],
    direct: dict[str, dict[str, Any]],
    aliases: dict[str, tuple[str, str, int]],
    version: str,
    variant: Mapping[str, Any] | None,
) -> FactorPack:
    spec = variant or head
    name, scope = str(spec["name"]), str(spec["scope"])
    used = list(spec.get("components", head.get("components", [])))
    status = str(head.get("status", ""))
    factors: dict[str, Factor] = {}

    def make(mode: str, rec: dict[str, Any], note: str) -> Factor:
        parts = {k: rec["components"][k] for k in used} if rec["components"] else {}
        value = math.fsum(parts.values()) if parts else float(rec["value"])
        return Factor(
            mode=mode,
            value=value,
            unit=rec["unit"],
            scope=scope,
            source=rec["source"],
            year=rec["year"],
            region=rec["region"],
            pack=name,
            label=rec["label"],
            note=note,
            status=status,
            components=MappingProxyType(parts),
        )

    for mode, rec in direct.items():
        factors[mode] = make(mode, rec, rec["note"])
    for mode, (target, note, _i) in aliases.items():
        factors[mode] = make(mode, direct[target], note)
    if head["default_car"] not in factors or not head["default_car"].startswith("car-"):
        loc.fail(
            f"[pack] default_car {head['default_car']!r} is not a car factor of the pack",
            "[pack]",
            0,
            "default_car",
        )
    notes = tuple(str(n) for n in spec.get("notes", head.get("notes", [])))
    return FactorPack(
        name=name,
        title=str(spec["title"]),
        version=version,
        scope=scope,
        scope_note=str(spec.get("scope_note", "")),
        year=int(head["year"]),
        region=str(head["region"]),
        default_car=str(head["default_car"]),
        default_car_note=str(head.get("default_car_note", "")),
        path=loc.path,
        status=status,
        status_note=str(head.get("status_note", "")),
        notes=notes,
        sources=tuple(MappingProxyType(s) for s in sources.values()),
        factors=MappingProxyType(factors),
        factor_dicts=MappingProxyType({m: f.as_dict() for m, f in factors.items()}),
    )


def _check_variants(loc: _Locator, data: dict[str, Any], head: dict[str, Any]) -> list[Any]:
    variants = data.get("variant", [])
    if not isinstance(variants, list):
        loc.fail("variant must be a list of [[variant]] tables", "[pack]")
    comps = list(head.get("components", []))
    for i, var in enumerate(variants):
        _check_keys(loc, var, _VARIANT_KEYS, "[[variant]]", i)
        for key in ("name", "title", "scope"):
            if not _text(var.get(key)):
                loc.fail(f"variant #{i + 1}: {key} is missing or empty", "[[variant]]", i, key)
        if not str(var["name"]).startswith(f"{head['name']}-") or not _NAME_RE.fullmatch(var["name"]):
            loc.fail(
                f"variant #{i + 1}: name {var['name']!r} must start with {head['name']!r}-",
                "[[variant]]",
                i,
                "name",
            )
        used = var.get("components")
        if not comps or not isinstance(used, list) or not used or not set(used) <= set(comps):
            loc.fail(
                f"variant #{i + 1}: components must be a non-empty subset of the pack's {comps}",
                "[[variant]]",
                i,
                "components",
            )
    return variants


def _parse_file(path: Path) -> dict[str, FactorPack]:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FactorPackError(f"{path}: not a readable TOML pack ({exc})", argument="pack") from exc
    loc = _Locator(path, text)
    for key in data:
        if key not in _TOP_KEYS:
            loc.fail(f"unknown top-level key {key!r}", f"[{key}]")
    head = _parse_pack_table(loc, data)
    sources = _parse_sources(loc, data)
    direct, aliases = _parse_factors(loc, data, head, sources)
    variants = _check_variants(loc, data, head)
    version = hashlib.sha256(raw).hexdigest()[:12]
    packs = {head["name"]: _build(loc, head, sources, direct, aliases, version, None)}
    for var in variants:
        packs[var["name"]] = _build(loc, head, sources, direct, aliases, version, var)
    return packs


def _packs_of(path: Path) -> dict[str, FactorPack]:
    try:
        st = path.stat()
    except OSError as exc:
        raise FactorPackError(f"{path}: cannot read ({exc})", argument="pack") from exc
    key = (path, st.st_mtime_ns, st.st_size)
    packs = _CACHE.get(key)
    if packs is None:
        packs = _parse_file(path)
        for old in [k for k in _CACHE if k[0] == path]:
            del _CACHE[old]
        _CACHE[key] = packs
    return packs


def _available(root: Path) -> list[str]:
    names: list[str] = []
    for path in sorted(root.glob("*.toml")):
        try:
            names.extend(_packs_of(path))
        except FactorPackError:
            names.append(f"{path.stem} (invalid)")
    return names


def load_pack(name: str, *, folder: Path | None = None) -> FactorPack:
    """Load and validate the pack ``name`` (cached by file path, mtime and size).

    Parameters
    ----------
    name
        A pack name such as ``"desnz-2025"``, or a variant such as ``"ademe-impactco2-energy"``.
    folder
        Where the pack files are; default ``seeds/factors``.

    Raises
    ------
    FactorPackError
        If no pack has that name (the message lists the available packs) or the file is invalid
        (the message names the file and line).
    """
    root = folder if folder is not None else factors_dir()
    if isinstance(name, str) and _NAME_RE.fullmatch(name):
        path = root / f"{name}.toml"
        if path.is_file():
            return _packs_of(path)[name]
        for cand in sorted(root.glob("*.toml")):
            if name.startswith(f"{cand.stem}-"):
                packs = _packs_of(cand)
                if name in packs:
                    return packs[name]
    available = _available(root) if root.is_dir() else []
    raise FactorPackError(
        f"no factor pack {name!r} in {root}; available: {', '.join(available) or 'none'}",
        argument="pack",
    )


def list_packs(*, folder: Path | None = None) -> list[dict[str, Any]]:
    """Describe every pack (and variant) with its sources and factors, JSON-ready.

    A file that fails validation is listed as ``{"name", "file", "error"}`` rather than hidden.
    """
    root = folder if folder is not None else factors_dir()
    out: list[dict[str, Any]] = []
    if not root.is_dir():
        return out
    for path in sorted(root.glob("*.toml")):
        try:
            packs = _packs_of(path)
        except FactorPackError as exc:
            out.append({"name": path.stem, "file": path.name, "error": exc.message})
            continue
        for pack in packs.values():
            out.append(
                {
                    "name": pack.name,
                    "file": path.name,
                    "title": pack.title,
                    "version": pack.version,
                    "scope": pack.scope,
                    "scope_note": pack.scope_note,
                    "region": pack.region,
                    "year": pack.year,
                    "status": pack.status,
                    "status_note": pack.status_note,
                    "default_car": pack.default_car.removeprefix("car-"),
                    "default_car_note": pack.default_car_note,
                    "notes": list(pack.notes),
                    "sources": [dict(s) for s in pack.sources],
                    "factors": [dict(d) for d in pack.factor_dicts.values()],
                }
            )
    return out


__all__ = ["list_packs", "load_pack"]

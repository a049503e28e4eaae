"""Text normalisation shared by the place index build and its queries.

Names and queries go through the same function, so a query typed without accents, in any case and
with the usual street abbreviations ("av", "r", "pca") meets the names as OSM and GTFS spell them.
"""

from __future__ import annotations

import re
import unicodedata

# Abbreviations common in Brazilian and US addresses and GTFS stop names, expanded to the full
# word so "av ipiranga" and "AV IPIRANGA" both meet "Avenida Ipiranga".
_ABBREVIATIONS: dict[str, str] = {
    "av": "avenida",
    "ave": "avenida",
    "avda": "avenida",
    "r": "rua",
    "pca": "praca",
    "pc": "praca",
    "tv": "travessa",
    "trav": "travessa",
    "al": "alameda",
    "estr": "estrada",
    "est": "estrada",
    "rod": "rodovia",
    "vd": "viaduto",
    "lgo": "largo",
    "lg": "largo",
    "pq": "parque",
    "dr": "doutor",
    "prof": "professor",
    "eng": "engenheiro",
    "gal": "general",
    "gen": "general",
    "pres": "presidente",
    "sen": "senador",
    "cel": "coronel",
    "ten": "tenente",
    "mal": "marechal",
    "sta": "santa",
    "sto": "santo",
    "sra": "senhora",
    "st": "street",
    "rd": "road",
    "hwy": "highway",
    "blvd": "boulevard",
}

_NON_WORD = re.compile(r"[^0-9a-z]+")
#: The longest place query read: the API refuses longer ones, and normalising never reads past it.
MAX_QUERY_CHARS = 200


def strip_accents(text: str) -> str:
    """Return ``text`` without combining marks (NFKD decomposition), lower-cased."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def normalize(text: str, *, expand: bool = True) -> str:
    """Fold ``text`` to lower-case ASCII words separated by single spaces.

    Parameters
    ----------
    text
        A place name or a query; anything longer than 200 characters is cut, since no place name
        is that long and fuzzy matching cost grows with length.
    expand
        Replace known abbreviations ("av" -> "avenida") by the full word.
    """
    folded = _NON_WORD.sub(" ", strip_accents(text[:MAX_QUERY_CHARS]))
    words = folded.split()
    if expand:
        words = [_ABBREVIATIONS.get(w, w) for w in words]
    return " ".join(words)


__all__ = ["normalize", "strip_accents"]

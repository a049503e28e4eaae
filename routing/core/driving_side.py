"""Which side of the road traffic keeps to, from ``city.toml`` or from the country of its time zone.

It decides which turns cross oncoming traffic (left turns where traffic keeps right), and so cost
more (:func:`routing.street.speeds.drive_turn_ms`).
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

DRIVING_SIDES = ("right", "left")

# ISO 3166 codes of the countries and territories where traffic keeps left (Wikipedia, "Left- and
# right-hand traffic", list of countries, as of 2024); everywhere else keeps right.
_LEFT_HAND = (
    "AG AI AU BB BD BM BN BS BT BW CC CK CX CY DM FJ FK GB GD GG GY HK IE IM IN JE JM JP KE KI KN KY LC LK LS "
    "MO MS MT MU MV MW MY MZ NA NF NP NR NU NZ PG PK PN SB SC SG SH SR SZ TC TH TK TL TO TT TV TZ UG VC VG VI "
    "WS ZA ZM ZW"
)
LEFT_HAND_COUNTRIES = frozenset(_LEFT_HAND.split())
_SYSTEM_ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")


@cache
def _zone_countries() -> dict[str, str]:
    """Time zone → ISO country code, from the IANA ``zone.tab`` (tzdata's, else the system's)."""
    text = ""
    try:
        text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        if _SYSTEM_ZONE_TAB.is_file():
            text = _SYSTEM_ZONE_TAB.read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) >= 3:
                out[fields[2]] = fields[0]
    return out


def default_driving_side(timezone: str) -> str:
    """The driving side of the country whose time zone this is; ``"right"`` when it is not known."""
    country = _zone_countries().get(timezone)
    return "left" if country in LEFT_HAND_COUNTRIES else "right"

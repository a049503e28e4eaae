"""The words and numbers of the log page in the page's language (webapp/messages catalogues).

The server renders the log page, so it formats here what the planner formats with ``Intl`` in the
browser: a decimal comma in Portuguese, mode names instead of mode codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from webapp.i18n import translate

# The decimal separator of each catalogue's language; a language not listed writes a point.
_DECIMAL = {"pt-BR": ","}


@dataclass(frozen=True)
class LogText:
    """Messages and number formats of one language for the log page and its chart."""

    lang: str

    def t(self, key: str, **params: object) -> str:
        """The message ``logpage.<key>`` (or a full key with a dot) with placeholders filled."""
        return translate(self.lang, key if "." in key else f"logpage.{key}", **params)

    def number(self, value: float, *, digits: int) -> str:
        """``value`` with ``digits`` decimals and this language's decimal separator."""
        return f"{value:.{digits}f}".replace(".", _DECIMAL.get(self.lang, "."))

    def km(self, metres: float) -> str:
        """``1234.5`` → ``"1.2 km"`` (``"1,2 km"`` in Portuguese)."""
        return f"{self.number(metres / 1000, digits=1)} km"

    def duration(self, seconds: float) -> str:
        """``5400`` → ``"1 h 30 min"``."""
        minutes = round(seconds / 60)
        return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"

    def co2e(self, grams: float | None) -> str:
        """CO2e in g below 1 kg, else in kg; "not known" for null."""
        if grams is None:
            return self.t("not_known")
        return f"{grams:.0f} g" if grams < 1000 else f"{self.number(grams / 1000, digits=2)} kg"

    def mode(self, code: str) -> str:
        """The name of a mode; a code the catalogue does not know is shown as it is."""
        name = translate(self.lang, f"mode.{code}")
        return code if name == f"mode.{code}" else name

    def count(self, n: int) -> str:
        """``"1 entry"``, ``"3 entries"``."""
        return self.t("count_one" if n == 1 else "count_other", n=n)


__all__ = ["LogText"]

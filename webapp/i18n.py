"""Message catalogues of the pages: one JSON file per language in ``webapp/messages/``.

The server picks the language (the remembered choice in a cookie, else the browser's
``Accept-Language``), renders the page's own text from the catalogue, and hands the same catalogue
to the page's scripts, so every word on the page comes from one place per language.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import Request

MESSAGES_DIR = Path(__file__).resolve().parent / "messages"
# The first is the fallback when nothing the browser asks for is available.
LANGUAGES = ("en", "pt-BR")
LANGUAGE_NAMES = {"en": "English", "pt-BR": "Português"}  # pt-BR is the only Portuguese here
# The switch on the page writes this cookie; nothing else is kept about the visitor.
LANG_COOKIE = "greenroute_lang"


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """The messages of ``lang`` (one of :data:`LANGUAGES`), read once per process."""
    if lang not in LANGUAGES:
        raise KeyError(lang)
    with (MESSAGES_DIR / f"{lang}.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def _match(tag: str) -> str | None:
    """The catalogue for one language tag: exact, then by primary language (``pt`` -> ``pt-BR``)."""
    tag = tag.strip().lower()
    for lang in LANGUAGES:
        if lang.lower() == tag:
            return lang
    primary = tag.split("-")[0]
    for lang in LANGUAGES:
        if lang.lower().split("-")[0] == primary:
            return lang
    return None


def choose_language(request: Request) -> str:
    """The page's language: the cookie set by the switch, else the browser's preference order."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    for tag, _quality in request.accept_languages:  # already sorted by quality
        found = _match(tag)
        if found:
            return found
    return LANGUAGES[0]


def translate(lang: str, key: str, **params: object) -> str:
    """The message ``key`` in ``lang`` with ``{name}`` placeholders filled.

    A key missing from the catalogue is a bug the tests catch (every key is checked in every
    language); at run time it shows as the key itself rather than failing the page.
    """
    text = catalogue(lang).get(key, key)
    if not isinstance(text, str):
        text = str(text.get("other", key))
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text

"""Where the footprint log lives in the URL space: its API's prefix and its page."""

from __future__ import annotations

PREFIX = "/api/footprint"
LOG_PAGE = "/log"
#: Paths of personal data: their answers, errors included, must not be stored by any cache.
PRIVATE_PATHS = (PREFIX, LOG_PAGE)

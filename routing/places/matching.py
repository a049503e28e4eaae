"""Word-level fuzzy matching of a typed query against a list of normalised names.

Matching word by word (rather than whole strings) keeps a query fast on thousands of names and
gives the behaviour of a search box: each typed word must meet a word of the name exactly, as a
prefix (the word being typed), or with a typo or two.
"""

from __future__ import annotations

import bisect

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

# Words naming the type of a street: "ipiranga" should meet "avenida ipiranga" as if it began it.
STREET_TYPES = frozenset(
    {"rua", "avenida", "travessa", "praca", "alameda", "estrada", "largo", "viaduto", "beco",
     "rodovia", "acesso", "passagem", "ciclovia", "street", "road", "avenue", "highway"}
)  # fmt: skip

_EXACT = 100.0
_PREFIX_TYPED = 96.0  # the last word, still being typed
_PREFIX_OTHER = 88.0  # an earlier word that is only the start of the name's word
_MIN_TYPO_RATIO = 75.0
_MIN_WORD_LEN_FOR_TYPOS = 4
_MIN_MEAN = 60.0
_MAX_PREFIX_WORDS = 2000
_MAX_CANDIDATES = 300


class NameMatcher:
    """Scores queries against ``names`` (already normalised, space-separated words)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        postings: dict[str, list[int]] = {}
        for k, name in enumerate(names):
            for word in set(name.split()):
                postings.setdefault(word, []).append(k)
        self._vocab = sorted(postings)
        self._postings = [np.asarray(postings[w], dtype=np.int64) for w in self._vocab]
        self._cores = [_core(n) for n in names]

    def _word_matches(self, word: str, *, typed: bool) -> dict[int, float]:
        """Vocabulary index -> score for one query word."""
        found: dict[int, float] = {}
        lo = bisect.bisect_left(self._vocab, word)
        hi = min(len(self._vocab), lo + _MAX_PREFIX_WORDS)
        for v in range(lo, hi):
            candidate = self._vocab[v]
            if not candidate.startswith(word):
                break
            found[v] = _EXACT if candidate == word else (_PREFIX_TYPED if typed else _PREFIX_OTHER)
        if len(word) >= _MIN_WORD_LEN_FOR_TYPOS:
            for _w, score, v in process.extract(
                word, self._vocab, scorer=fuzz.ratio, limit=200, score_cutoff=_MIN_TYPO_RATIO
            ):
                found[v] = max(found.get(v, 0.0), float(score) * 0.97)
            if typed:
                # The word being typed may hold a typo and be unfinished: compare with prefixes.
                n = len(word) + 1
                for _w, score, v in process.extract(
                    word,
                    self._vocab,
                    scorer=fuzz.ratio,
                    processor=lambda s: s[:n],
                    limit=200,
                    score_cutoff=_MIN_TYPO_RATIO + 5,
                ):
                    found[v] = max(found.get(v, 0.0), float(score) * 0.93)
        return found

    def scores(self, query: str) -> list[tuple[float, int]]:
        """Return ``(score, name index)`` for every name the query matches, unsorted.

        A score is the mean over query words of the best match among the name's words (a word
        matched by nothing counts 0), plus a bonus when the whole name or its part after the street
        type begins with the query, minus a little for each word of the name the query left out.
        """
        words = query.split()
        if not words or not self.names:
            return []
        total: NDArray[np.float64] = np.zeros(len(self.names))
        for i, word in enumerate(words):
            best: NDArray[np.float64] = np.zeros(len(self.names))
            for v, score in self._word_matches(word, typed=i == len(words) - 1).items():
                ids = self._postings[v]
                best[ids] = np.maximum(best[ids], score)
            total += best
        mean = total / len(words)
        candidates = np.flatnonzero(mean >= _MIN_MEAN)
        if len(candidates) > _MAX_CANDIDATES:
            # A broad query ("rua") matches thousands: re-rank only the best word matches.
            order = np.argsort(-mean[candidates], kind="stable")
            candidates = np.sort(candidates[order[:_MAX_CANDIDATES]])
        out = []
        for k in candidates:
            name = self.names[k]
            score = float(mean[k])
            if name == query:
                score += 20.0
            elif name.startswith(query) or self._cores[k].startswith(query):
                score += 10.0
            score -= 1.5 * max(0, len(name.split()) - len(words))
            out.append((score, int(k)))
        return out


def _core(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[0] in STREET_TYPES:
        words = words[1:]
        if len(words) > 1 and words[0] in {"da", "de", "do", "das", "dos"}:
            words = words[1:]
    return " ".join(words)

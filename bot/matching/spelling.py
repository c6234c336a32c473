"""Repairs of diacritic-free syllables: typos, telex leftovers, words typed without a space."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
import importlib.util
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from bot.nlp.text import canonical_syllable, strip_diacritics

_TELEX_TONES = set("sfrxj")
_TELEX_PAIRS = (("dd", "d"), ("aa", "a"), ("ee", "e"), ("oo", "o"), ("aw", "a"), ("ow", "o"), ("uw", "u"), ("w", "u"))


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """Diacritic-free syllables and two-syllable words ("doc_than") of underthesea's bundled
    Viet74K dictionary (offline)."""
    # located without importing underthesea, whose package import loads its tagging models
    package = importlib.util.find_spec("underthesea").submodule_search_locations[0]
    text = (Path(package) / "corpus" / "data" / "Viet74K.txt").read_text(encoding="utf-8")
    syllables: set[str] = set()
    pairs: set[str] = set()
    for line in text.splitlines():
        parts = [strip_diacritics(p) for p in line.lower().split()]
        syllables.update(parts)
        if len(parts) == 2:
            pairs.add("_".join(parts))
    return frozenset(syllables), frozenset(pairs)


def vietnamese_syllables() -> frozenset[str]:
    return _dictionary()[0]


def vietnamese_words() -> frozenset[str]:
    return _dictionary()[1]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class SpellingRepair:
    """Maps an unknown diacritic-free token to known index syllables.

    Targets are the syllables the catalogue and lexicon use, weighted by how often they occur;
    a token that is already a valid Vietnamese syllable is left alone, so ordinary words outside
    the catalogue never turn into procedure words.
    """

    def __init__(self, target_counts: Mapping[str, int], valid: Iterable[str]):
        self._counts = dict(target_counts)
        self._valid = frozenset(valid) | frozenset(self._counts)
        self._by_deletion: dict[str, list[str]] = {}  # most frequent word first
        for word in sorted(self._counts, key=lambda w: -self._counts[w]):
            if len(word) < 3 or not word.isalpha():
                continue
            for key in _deletions(word) | {word}:
                self._by_deletion.setdefault(key, []).append(word)

    def is_known(self, token: str) -> bool:
        return token in self._valid

    def repair(self, token: str) -> tuple[str, ...]:
        """Known index syllables for a token, or the token itself when no repair is safe."""
        if token in self._valid or len(token) < 3 or not token.isalpha() or not token.isascii():
            return (token,)
        telex = self._telex(token)
        if telex:
            return (telex,)
        split = self._split(token)
        if split:
            return split
        for key in (token, *_deletions(token)):
            targets = self._by_deletion.get(key)
            if targets:
                return (targets[0],)
        return (token,)

    def neighbours(self, token: str) -> list[str]:
        """Known syllables one edit away from a token, most frequent first."""
        if len(token) < 3 or not token.isalpha():
            return []
        found: dict[str, int] = {}
        for key in (token, *_deletions(token)):
            for word in self._by_deletion.get(key, ()):
                if word != token and Levenshtein.distance(word, token) == 1:
                    found[word] = self._counts[word]
        return sorted(found, key=lambda w: -found[w])

    def _telex(self, token: str) -> str | None:
        candidate = token
        for pair, single in _TELEX_PAIRS:
            candidate = candidate.replace(pair, single)
        if candidate[-1] in _TELEX_TONES:
            stripped = canonical_syllable(candidate[:-1])
            if stripped in self._counts:
                return stripped
        if candidate != token and candidate in self._counts:
            return candidate
        return None

    def _split(self, token: str) -> tuple[str, str] | None:
        if len(token) < 5:
            return None
        best = None
        for i in range(2, len(token) - 1):
            left, right = token[:i], token[i:]
            if left in self._counts and right in self._counts:
                weight = min(self._counts[left], self._counts[right])
                if best is None or weight > best[0]:
                    best = (weight, (left, right))
        return best[1] if best else None

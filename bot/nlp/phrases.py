"""Tone-aware phrase matching: a syllable typed without diacritics matches any toned form."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Generic, NamedTuple, TypeVar

from bot.nlp.text import strip_diacritics, toneless

T = TypeVar("T")


def syllable_matches(typed: str, pattern: str, loose: bool = True) -> bool:
    """Exact match; when ``loose`` (the message was typed without diacritics), a bare syllable
    matches every toned form of itself."""
    if typed == pattern:
        return True
    return loose and strip_diacritics(typed) == typed and strip_diacritics(pattern) == typed


def _close_syllable(typed: str, pattern: str) -> bool:
    """In text typed with diacritics: the same syllable, one typed bare, or only đ/d differs."""
    return typed == pattern or strip_diacritics(typed) == typed or typed.replace("đ", "d") == pattern.replace("đ", "d")


def _same_vowels(typed: str, pattern: str) -> bool:
    """Any tone, but not another vowel: "giấy tơ gì" is "giấy tờ gì", "mặt tiền" is not "mất tiền"."""
    bare_vowels = toneless(typed)
    return bare_vowels == toneless(pattern) or strip_diacritics(bare_vowels) == bare_vowels.replace("đ", "d")


def _toned_match(tokens: Sequence[str], i: int, phrase: tuple[str, ...], loose: bool | None) -> bool:
    """For a phrase whose diacritic-free form is at ``i``: loosely typed text matches. Otherwise
    phrases of two or more syllables tolerate syllables typed bare or with d for đ ("sổ dỏ" is
    "sổ đỏ", "đổi hộ" is not "đổi họ"); a lone syllable needs its tones. (``loose`` None: any
    marks, for phrases whose misspelling cannot mean something else, such as "giấy tơ gì".)"""
    if len(phrase) > 1:
        if loose:  # a syllable that carries marks all the same must agree ("lam thế nào" is not "làm thẻ")
            return all(syllable_matches(tokens[i + k], phrase[k]) for k in range(len(phrase)))
        close = _close_syllable if loose is False else _same_vowels
        return all(close(tokens[i + k], phrase[k]) for k in range(len(phrase)))
    return syllable_matches(tokens[i], phrase[0], bool(loose))


_END = None  # not a syllable


class PhraseHit(NamedTuple, Generic[T]):  # a tuple: made by the thousand per question, cheaply
    start: int
    end: int
    payload: T


class PhraseMatcher(Generic[T]):
    """Finds phrases (tuples of canonical syllables) inside a syllable sequence.

    Phrases are kept in a trie of their diacritic-free syllables, so a lookup walks only as far
    as some phrase goes on."""

    def __init__(self, phrases: Iterable[tuple[Sequence[str], T]]):
        # a trie of diacritic-free syllables; a node's _END holds the phrases spelled to it
        self._root: dict = {}
        for tokens, payload in phrases:
            tokens = tuple(tokens)
            if tokens:
                node = self._root
                for bare in (strip_diacritics(t) for t in tokens):
                    node = node.setdefault(bare, {})
                node.setdefault(_END, []).append((tokens, payload))

    def _candidates(self, bares: Sequence[str], i: int) -> list[list[tuple[tuple[str, ...], T]]]:
        """The phrases whose diacritic-free form starts at ``i``, longest first."""
        out = []
        node = self._root
        for j in range(i, len(bares)):
            node = node.get(bares[j])
            if node is None:
                break
            if (found := node.get(_END)) is not None:
                out.append(found)
        out.reverse()
        return out

    def find_all(self, tokens: Sequence[str], loose: bool | None = True, bares: Sequence[str] | None = None) -> list[PhraseHit[T]]:
        """Every occurrence, overlapping allowed (``bares``: the tokens' diacritic-free forms)."""
        bares = bares if bares is not None else [strip_diacritics(t) for t in tokens]
        n = len(tokens)
        hits: list[PhraseHit[T]] = []
        for i in range(n):
            for group in self._candidates(bares, i):
                for phrase, payload in group:
                    if _toned_match(tokens, i, phrase, loose):
                        hits.append(PhraseHit(i, i + len(phrase), payload))
        return hits

    def find_kinds(self, tokens: Sequence[str], looseness: Sequence[bool | None], bares: Sequence[str]) -> list[list[PhraseHit]]:
        """``find_all`` for several phrase lists in one pass (the question's hot path): payloads
        are (kind, payload), each kind matches with its own looseness, hits come back per kind."""
        n = len(tokens)
        hits: list[list[PhraseHit]] = [[] for _ in looseness]
        for i in range(n):
            for group in self._candidates(bares, i):
                for phrase, (kind, payload) in group:
                    if _toned_match(tokens, i, phrase, looseness[kind]):
                        hits[kind].append(PhraseHit(i, i + len(phrase), payload))
        return hits

    def find_longest(self, tokens: Sequence[str], loose: bool = True) -> list[PhraseHit[T]]:
        """Left-to-right, longest match first, no overlaps."""
        bares = [strip_diacritics(t) for t in tokens]
        n = len(tokens)
        hits: list[PhraseHit[T]] = []
        i = 0
        while i < n:
            best = None
            for group in self._candidates(bares, i):
                for phrase, payload in group:
                    if _toned_match(tokens, i, phrase, loose):
                        if best is None or len(phrase) > best.end - best.start:
                            best = PhraseHit(i, i + len(phrase), payload)
            if best:
                hits.append(best)
                i = best.end
            else:
                i += 1
        return hits

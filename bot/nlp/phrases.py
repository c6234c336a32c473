"""Tone-aware phrase matching: a syllable typed without diacritics matches any toned form."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Generic, NamedTuple, TypeVar

from bot.nlp.text import strip_diacritics, toneless

T = TypeVar("T")


def _close_syllable(typed: str, pattern: str) -> bool:
    """In text typed with diacritics, a marked syllable: the same syllable, or d typed for đ ("sổ dỏ"); not
    đ typed for d ("đi chúc Tết" is no "di chúc")."""
    return typed == pattern or ("đ" in pattern and typed == pattern.replace("đ", "d"))


def _same_vowels(typed: str, pattern: str) -> bool:
    """Any tone, but not another vowel: "giấy tơ gì" is "giấy tờ gì", "mặt tiền" is not "mất tiền"."""
    bare_vowels = toneless(typed)
    return bare_vowels == toneless(pattern) or strip_diacritics(bare_vowels) == bare_vowels.replace("đ", "d")


def _same_syllable(typed: str, pattern: str) -> bool:
    return typed == pattern


def _toned_match(tokens: Sequence[str], typed_bare: Sequence[bool], i: int, phrase: tuple[str, ...],
                 loose: bool | None) -> bool:
    """For a phrase whose diacritic-free form is at ``i`` (``typed_bare``: per token, whether it
    was typed without marks): loosely typed text matches. Otherwise phrases of two or more
    syllables tolerate syllables typed bare or with d for đ ("sổ dỏ" is "sổ đỏ", "đổi hộ" is not
    "đổi họ"); a lone syllable needs its tones. (``loose`` None: any marks, for phrases whose
    misspelling cannot mean something else, such as "giấy tơ gì".)"""
    if len(phrase) > 1:
        # a syllable typed bare matches any form of itself (the diacritic-free forms are equal);
        # in loosely typed text one that carries marks must agree ("lam thế nào" is not "làm thẻ")
        close = _same_syllable if loose else _close_syllable if loose is False else _same_vowels
        return all(typed_bare[i + k] or close(tokens[i + k], phrase[k]) for k in range(len(phrase)))
    return tokens[i] == phrase[0] or (bool(loose) and typed_bare[i])


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
        node = self._root.get(bares[i])
        if node is None:
            return []  # most syllables start no phrase
        out = []
        j = i
        while True:
            if (found := node.get(_END)) is not None:
                out.append(found)
            j += 1
            if j == len(bares) or (node := node.get(bares[j])) is None:
                break
        out.reverse()
        return out

    def _matching(self, tokens: Sequence[str], typed_bare: Sequence[bool], i: int,
                  group: list[tuple[tuple[str, ...], T]], loose: bool | None) -> list[tuple[tuple[str, ...], T]]:
        """The phrases of one trie group (same diacritic-free form at ``i``) that match there."""
        size = len(group[0][0])
        if (size > 1 or loose) and all(typed_bare[i : i + size]):
            return group  # typed bare throughout: every form matches
        return [(phrase, payload) for phrase, payload in group if _toned_match(tokens, typed_bare, i, phrase, loose)]

    def find_all(self, tokens: Sequence[str], loose: bool | None = True, bares: Sequence[str] | None = None) -> list[PhraseHit[T]]:
        """Every occurrence, overlapping allowed (``bares``: the tokens' diacritic-free forms)."""
        bares = bares if bares is not None else [strip_diacritics(t) for t in tokens]
        typed_bare = [t == b for t, b in zip(tokens, bares)]
        hits: list[PhraseHit[T]] = []
        for i in range(len(tokens)):
            for group in self._candidates(bares, i):
                end = i + len(group[0][0])
                hits.extend(PhraseHit(i, end, payload) for _, payload in self._matching(tokens, typed_bare, i, group, loose))
        return hits

    def find_kinds(self, tokens: Sequence[str], looseness: Sequence[bool | None], bares: Sequence[str]) -> list[list[PhraseHit]]:
        """``find_all`` for several phrase lists in one pass (the question's hot path): payloads
        are (kind, payload), each kind matches with its own looseness, hits come back per kind."""
        typed_bare = [t == b for t, b in zip(tokens, bares)]
        hits: list[list[PhraseHit]] = [[] for _ in looseness]
        for i in range(len(tokens)):
            for group in self._candidates(bares, i):
                end = i + len(group[0][0])
                bare_span = all(typed_bare[i:end])  # as in ``_matching``, with each kind's looseness
                for phrase, (kind, payload) in group:
                    loose = looseness[kind]
                    if ((end - i > 1 or loose) and bare_span) or _toned_match(tokens, typed_bare, i, phrase, loose):
                        hits[kind].append(PhraseHit(i, end, payload))
        return hits

    def find_longest(self, tokens: Sequence[str], loose: bool = True, bares: Sequence[str] | None = None) -> list[PhraseHit[T]]:
        """Left-to-right, longest match first, no overlaps (``bares`` as in ``find_all``)."""
        bares = bares if bares is not None else [strip_diacritics(t) for t in tokens]
        typed_bare = [t == b for t, b in zip(tokens, bares)]
        n = len(tokens)
        hits: list[PhraseHit[T]] = []
        i = 0
        while i < n:
            for group in self._candidates(bares, i):  # longest first: the first that matches
                if found := self._matching(tokens, typed_bare, i, group, loose):
                    hits.append(PhraseHit(i, i + len(found[0][0]), found[0][1]))
                    i += len(found[0][0])
                    break
            else:
                i += 1
        return hits

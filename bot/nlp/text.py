"""Syllable-level Vietnamese text primitives: NFC, tone placement, i/y, diacritic removal.

Everything here is pure and table-driven so it can run on every catalogue string and every
question in microseconds.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONE_MARKS = {"\u0300": 1, "\u0301": 2, "\u0303": 3, "\u0309": 4, "\u0323": 5}
_TONE_BY_NUMBER = {v: k for k, v in _TONE_MARKS.items()}
# Base vowels (without tone). Modified vowels take the tone first.
_VOWELS = set("aăâeêioôơuưy")
_MODIFIED = set("ăâêôơư")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]")
# Code-like tokens (1.001193, 000.00.29.H56-250315-0007) stay whole; other words split on punctuation.
_WORD = re.compile(r"[^\W_]*\d[^\W_]*(?:[./-][^\W_]+)+|[^\W_]+")


_REPEATED = re.compile(r"([^\W\d_])\1{2,}")


def clean(text: str) -> str:
    """NFC, no control or zero-width characters, a letter typed 3+ times once, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    text = _REPEATED.sub(r"\1", text)
    return " ".join(text.split())


def split_tone(syllable: str) -> tuple[str, int]:
    """The syllable without its tone mark, and the tone's number (0: none)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = 0
    kept = []
    for ch in decomposed:
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def tone_mark(tone: int) -> str:
    """The combining mark of a tone number ("" for none)."""
    return _TONE_BY_NUMBER.get(tone, "")


def _tone_position(base: str) -> int | None:
    """Index of the vowel that carries the tone, old-style placement (hòa, thủy, khỏe)."""
    positions = [i for i, ch in enumerate(base) if ch in _VOWELS]
    if not positions:
        return None
    # 'qu' and 'gi' + vowel: the u / i belongs to the onset.
    if len(positions) > 1 and base.startswith("qu") and positions[0] == 1:
        positions = positions[1:]
    elif len(positions) > 1 and base.startswith("gi") and positions[0] == 1:
        positions = positions[1:]
    modified = [i for i in positions if base[i] in _MODIFIED]
    if modified:
        return modified[-1]  # ươ → ơ, uô → ô, iê → ê
    has_coda = positions[-1] < len(base) - 1
    if has_coda or len(positions) == 1:
        return positions[-1]
    if len(positions) == 2:
        return positions[0]
    return positions[1]


@lru_cache(maxsize=65536)
def canonical_syllable(syllable: str) -> str:
    """Lower-case syllable with canonical tone placement and i for a lone y (ký → kí)."""
    base, tone = split_tone(syllable.lower())
    vowels = [ch for ch in base if ch in _VOWELS]
    if vowels == ["y"] and base.endswith("y") and len(base) > 1 and not base.startswith("qu"):
        base = base[:-1] + "i"
    if not tone:
        return base
    pos = _tone_position(base)
    if pos is None:
        return base
    combined = unicodedata.normalize("NFD", base[pos]) + _TONE_BY_NUMBER[tone]
    return base[:pos] + unicodedata.normalize("NFC", combined) + base[pos + 1 :]


def toneless(syllable: str) -> str:
    """The syllable without its tone mark, vowel marks kept (kết → kêt)."""
    return split_tone(syllable)[0]


@lru_cache(maxsize=65536)
def strip_diacritics(text: str) -> str:
    """Diacritic-free form: tones and vowel marks removed, đ → d."""
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.replace("đ", "d").replace("Đ", "D")


def syllables(text: str) -> list[str]:
    """Lower-case canonical syllables (and numbers/codes) of a cleaned string."""
    return [canonical_syllable(m) for m in _WORD.findall(text.lower())]


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text

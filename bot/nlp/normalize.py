"""The one normalisation used for catalogue text and citizens' questions."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.nlp.lexicon import Lexicon, default_lexicon
from bot.nlp.phrases import PhraseMatcher
from bot.nlp.text import clean, strip_diacritics, syllables

MAX_QUESTION_CHARS = 2000  # longer input is truncated: a question, not a document
_AGE = re.compile(r"^(\d{1,3})(t|tuổi)$")


def _split_age(token: str) -> tuple[str, ...]:
    m = _AGE.match(token)
    return (m.group(1), "tuổi") if m else (token,)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Canonical syllables of a text: NFC, lower case, canonical tone placement and i/y,
    chat abbreviations expanded, politeness and filler words removed."""

    tokens: tuple[str, ...]
    raw_tokens: tuple[str, ...]  # before filler removal (cue detection needs them)
    loose: bool  # typed (mostly) without diacritics: bare syllables match any toned form

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def bare(self) -> tuple[str, ...]:
        return tuple(strip_diacritics(t) for t in self.tokens)


class Normalizer:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._fillers = PhraseMatcher((phrase, None) for phrase in lexicon.fillers)
        # lexicon phrases that contain a filler word ("bé mới chào đời", "theo mọi người") keep it
        fillers = {w for phrase in lexicon.fillers for w in phrase}
        self._keep = PhraseMatcher(
            (phrase, None) for phrase in [*lexicon.situation_phrases(), *lexicon.offtopic_cues]
            if len(phrase) > 1 and fillers.intersection(phrase)
        )
        self._abbreviations = PhraseMatcher(lexicon.abbreviations.items())

    def expand(self, tokens: list[str]) -> list[str]:
        """Chat forms and abbreviations written out (đk → đăng kí, bhxh → bảo hiểm xã hội, 77t →
        77 tuổi)."""
        if any(token[:1].isdigit() for token in tokens):
            tokens = [part for token in tokens for part in _split_age(token)]
        out: list[str] = []
        position = 0
        for hit in self._abbreviations.find_longest(tokens, loose=False):
            out.extend(tokens[position : hit.start])
            out.extend(hit.payload)
            position = hit.end
        out.extend(tokens[position:])
        return out

    def __call__(self, text: str) -> NormalizedText:
        text = clean(text[:MAX_QUESTION_CHARS])
        typed = syllables(text)
        raw = self.expand(typed)
        loose = typed_loosely(typed)
        drop: set[int] = set()
        bares = [strip_diacritics(t) for t in raw]
        kept = [(h.start, h.end) for h in self._keep.find_all(raw, loose, bares)]
        for hit in self._fillers.find_longest(raw, loose, bares):
            if any(a <= hit.start and hit.end <= b and b - a > hit.end - hit.start for a, b in kept):
                continue
            if loose and hit.end - hit.start == 1 and 0 < hit.start < len(raw) - 1 and _ambiguous_bare(raw[hit.start]):
                continue  # mid-sentence "nha", "da", "a" typed bare are words (nhà, đã, anh), not particles
            drop.update(range(hit.start, hit.end))
        tokens = tuple(t for i, t in enumerate(raw) if i not in drop)
        return NormalizedText(tokens, tuple(raw), loose)


def _ambiguous_bare(token: str) -> bool:
    """A bare syllable that is also a toned content word ("nha" nhà, "da" đã/da)."""
    return strip_diacritics(token) == token and token in _CONTENT_BARE


_CONTENT_BARE = frozenset({"nha", "da", "a", "ah", "ak", "ha", "nhe", "nhi", "hu", "u", "oi"})


def typed_loosely(tokens: list[str]) -> bool:
    """True when under a quarter of the words the user typed carry diacritics (people who type
    without them rarely type a few); judged before abbreviations are written out ("bhxh")."""
    words = [t for t in tokens if t.isalpha()]
    if not words:
        return True
    toned = sum(strip_diacritics(t) != t for t in words)
    return toned < 0.25 * len(words)


@lru_cache(maxsize=1)
def default_normalizer() -> Normalizer:
    return Normalizer(default_lexicon())


def normalize(text: str) -> NormalizedText:
    return default_normalizer()(text)


def segment(text: str) -> list[str]:
    """underthesea word segmentation of the normalised text (compound words kept whole)."""
    from underthesea import word_tokenize  # loaded lazily: ~0.5 s import

    normalized = normalize(text).text
    return word_tokenize(normalized) if normalized else []

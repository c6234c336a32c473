"""Repairs of diacritic-free syllables: typos, telex leftovers, words typed without a space."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
import importlib.util
import unicodedata
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from bot.nlp.text import canonical_syllable, split_tone, strip_diacritics, tone_mark, toneless

_TELEX_TONE_MARKS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_TELEX_TONES = set(_TELEX_TONE_MARKS)
_VOWELS = set("aeiouy")
NEIGHBOUR_MEMO = 50_000  # tokens whose neighbours are remembered
_TELEX_PAIRS = (("dd", "d"), ("aa", "a"), ("ee", "e"), ("oo", "o"), ("aw", "a"), ("ow", "o"), ("uw", "u"), ("w", "u"))


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[tuple[str, str]]]:
    """Diacritic-free syllables, two-syllable words ("doc_than"), canonical toned syllables and
    toned two-syllable words of underthesea's bundled Viet74K dictionary (offline); toned
    syllables of its Viet22K list too."""
    # located without importing underthesea, whose package import loads its tagging models
    package = importlib.util.find_spec("underthesea").submodule_search_locations[0]
    text = (Path(package) / "corpus" / "data" / "Viet74K.txt").read_text(encoding="utf-8")
    syllables: set[str] = set()
    pairs: set[str] = set()
    toned: set[str] = set()
    toned_pairs: set[tuple[str, str]] = set()
    for line in text.splitlines():
        words = [canonical_syllable(p) for p in line.lower().split()]
        toned.update(words)
        parts = [strip_diacritics(p) for p in words]
        syllables.update(parts)
        if len(parts) == 2:
            pairs.add("_".join(parts))
            toned_pairs.add((words[0], words[1]))
    # its 22K list adds the syllables of names ("Nguyễn"), which must not be mended into words
    names = (Path(package) / "corpus" / "data" / "Viet22K.txt").read_text(encoding="utf-8")
    toned.update(canonical_syllable(p) for p in names.lower().split())
    return frozenset(syllables), frozenset(pairs), frozenset(toned), frozenset(toned_pairs)


def vietnamese_syllables() -> frozenset[str]:
    return _dictionary()[0]


def vietnamese_words() -> frozenset[str]:
    return _dictionary()[1]


def vietnamese_toned_syllables() -> frozenset[str]:
    return _dictionary()[2]


def vietnamese_toned_words() -> frozenset[tuple[str, str]]:
    return _dictionary()[3]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _transposed(typed: str, word: str) -> bool:
    """Whether two neighbouring letters of ``word`` were typed the other way round."""
    if len(typed) != len(word):
        return False
    diff = [i for i, (a, b) in enumerate(zip(typed, word)) if a != b]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == word[diff[1]] and typed[diff[1]] == word[diff[0]]


class SpellingRepair:
    """Maps an unknown token to known index syllables.

    Targets are the syllables the catalogue and lexicon use, weighted by how often they occur;
    a token that is already a valid Vietnamese syllable is left alone, so ordinary words outside
    the catalogue never turn into procedure words.
    """

    def __init__(self, target_counts: Mapping[str, int], valid: Iterable[str]):
        self._counts = dict(target_counts)
        self._valid = frozenset(valid) | frozenset(self._counts)
        self._by_deletion: dict[str, list[str]] = {}  # most frequent word first
        self.neighbours = lru_cache(maxsize=NEIGHBOUR_MEMO)(self._find_neighbours)  # remembered per token
        for word in sorted(self._counts, key=lambda w: (-self._counts[w], w)):
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
        if targets := self._by_deletion.get(token):
            return (targets[0],)
        near = [targets for key in _deletions(token) if (targets := self._by_deletion.get(key))]
        found = [targets[0] for targets in near]
        if found:  # the most frequent, whatever order the set of deletions comes in
            # two letters typed the wrong way round ("mnag" is mang, not the commoner nang)
            swapped = {w for targets in near for w in targets if _transposed(token, w)}
            return (min(swapped or found, key=lambda w: (-self._counts[w], w)),)
        return (token,)

    def _find_neighbours(self, token: str) -> list[str]:
        """Known syllables one edit away from a token, most frequent first (``neighbours``)."""
        if len(token) < 3 or not token.isalpha():
            return []
        found: dict[str, int] = {}
        for key in (token, *_deletions(token)):
            for word in self._by_deletion.get(key, ()):
                if word != token and Levenshtein.distance(word, token) == 1:
                    found[word] = self._counts[word]
        return sorted(found, key=lambda w: (-found[w], w))

    def _telex(self, token: str) -> str | None:
        candidate = token
        for pair, single in _TELEX_PAIRS:
            candidate = candidate.replace(pair, single)
        if candidate[-1] in _TELEX_TONES:
            stripped = canonical_syllable(candidate[:-1])
            if stripped in self._counts:
                return stripped
        for i in range(1, len(candidate) - 1):  # the tone typed before the final consonant ("tasch")
            if candidate[i] in _TELEX_TONES and candidate[i - 1] in _VOWELS:
                stripped = canonical_syllable(candidate[:i] + candidate[i + 1:])
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


def _keystrokes(typed: str, meant: str) -> float:
    """Edit distance where adding or removing a mark (hook, horn, circumflex, tone) costs half a
    letter (people leave marks out more often than letters) and two neighbouring letters typed
    in the wrong order cost one ("khôgn" is không, not khôn)."""
    a, b = unicodedata.normalize("NFD", typed), unicodedata.normalize("NFD", meant)
    cost = lambda ch: 0.5 if unicodedata.combining(ch) else 1.0  # noqa: E731
    before: list[float] = []
    previous: list[float] = []
    row = [0.0]
    for ch in b:
        row.append(row[-1] + cost(ch))
    for i, x in enumerate(a):
        before, previous, row = previous, row, [row[0] + cost(x)]
        for j, y in enumerate(b, 1):
            change = 0.0 if x == y else max(cost(x), cost(y))
            best = min(previous[j] + cost(x), row[j - 1] + cost(y), previous[j - 1] + change)
            if i and j > 1 and x == b[j - 2] and a[i - 1] == y and x != y:
                best = min(best, before[j - 2] + 1.0)
            row.append(best)
    return row[-1]


class MarkedRepair:
    """Maps a marked syllable no dictionary knows to the catalogue syllable the citizen meant.

    The same letters with another tone come first ("kêt" → kết, "sịnh" → sinh); otherwise the
    catalogue syllables with the same letters and other marks ("ngừoi" → người) or one letter
    more, less or changed ("giáy" → giấy, "chứg" → chứng) compete: the fewest keystrokes away wins
    (a mark counts half a letter, so "đuọc" is được, not đọc), then the more frequent.
    """

    def __init__(self, target_counts: Mapping[str, int], valid: Iterable[str], words: Iterable[tuple[str, str]] = ()):
        self._valid = frozenset(valid) | frozenset(target_counts)
        self._counts = dict(target_counts)
        self._words = frozenset(words)  # toned two-syllable words a glued token may split into
        self._by_toneless: dict[str, str] = {}
        self._by_key: dict[str, list[str]] = {}
        for word in sorted(target_counts, key=lambda w: (-target_counts[w], w)):
            if not word.isalpha():
                continue
            self._by_toneless.setdefault(toneless(word), word)
            keys = {strip_diacritics(word)} | (_deletions(word) | {word} if len(word) >= 3 else set())
            for key in keys:
                self._by_key.setdefault(key, []).append(word)

    def is_valid(self, token: str) -> bool:
        return token in self._valid

    def telex_tone(self, token: str) -> str | None:
        """A marked syllable with a telex tone key typed after it ("hôij" hội, "tờf" tờ, "lôngf" lồng):
        no Vietnamese syllable ends in s, f, r, x or j."""
        mark = _TELEX_TONE_MARKS.get(token[-1:])
        if mark is None or len(token) < 2:
            return None
        stem = token[:-1]  # a stem that already has its tone keeps it: the key was pressed again
        toned = canonical_syllable(stem if toneless(stem) != stem else unicodedata.normalize("NFC", stem + mark))
        return toned if toned in self._valid else None

    def split(self, token: str) -> tuple[str, str] | None:
        """Two syllables typed without a space ("đăngký"): the one tone, which the token's
        one-syllable spelling moved, goes back to either half, and the halves must make a word."""
        if token in self._valid or not token.isalpha() or len(token) < 4:
            return None
        base, tone = split_tone(token)
        mark = tone_mark(tone)
        for i in range(1, len(base)):
            left, right = base[:i], base[i:]
            tonings = [(left, right)] if not mark else [(left + mark, right), (left, right + mark)]
            for a, b in tonings:
                pair = canonical_syllable(a), canonical_syllable(b)
                if pair in self._words:
                    return pair
        return None

    def repair(self, token: str) -> str | None:
        if token in self._valid or not token.isalpha() or len(token) < 2:
            return None
        if found := self.telex_tone(token):
            return found
        bare = strip_diacritics(token)
        if len(token) >= 3 and bare[-1] == bare[-2]:  # the last key pressed twice ("kýy", "sảnn")
            for once in (token[:-2] + token[-1], token[:-1]):
                if (found := canonical_syllable(once)) in self._valid:
                    return found
        if found := self._by_toneless.get(toneless(token)):
            return found
        keys = [strip_diacritics(token), *((token, *_deletions(token)) if len(token) >= 3 else ())]
        candidates = {word for key in keys for word in self._by_key.get(key, ())[:20]}
        if not candidates:
            return None
        return min(candidates, key=lambda w: (_keystrokes(token, w), -self._counts[w], w))


_BARE_LETTERS = "abcdeghiklmnopqrstuvxy"
_TONE_MARKS = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_ONSET_SOUNDS = (("tr", "ch"), ("gi", "d"), ("s", "x"), ("r", "d"))  # written alike by many speakers
_FINAL_SOUNDS = (("ng", "n"), ("c", "t"))


def sound_key(syllable: str) -> str:
    """A syllable with the consonants many speakers do not tell apart in writing merged, marks
    kept ("sác" / "xác", "hạng" / "hạn", "trả" / "chả"): only the consonants may differ."""
    for spelled, merged in _ONSET_SOUNDS:
        if syllable.startswith(spelled):
            syllable = merged + syllable[len(spelled):]
            break
    for spelled, merged in _FINAL_SOUNDS:
        if syllable.endswith(spelled) and len(syllable) > len(spelled):
            return syllable[: -len(spelled)] + merged
    return syllable


# typed as meant beside almost any word: classifiers ("đổi cái mới" is no "đổi cải") and words that point or
# join ("giấy đó" is no "giấy đỏ", "hai đứa còn giận" no "con")
_TYPED_AS_MEANT = frozenset({"cái", "chiếc", "đó", "đấy", "này", "kia", "ấy", "thì", "mà", "còn", "họ", "vì"})


def _both_marks_differ(typed: str, meant: str) -> bool:
    """Another tone and another vowel mark ("mặt" / "mất"): two slips, not one."""
    (typed_base, typed_tone), (meant_base, meant_tone) = split_tone(typed), split_tone(meant)
    return typed_tone != meant_tone and typed_base != meant_base


class PairRepair:
    """Mends a wrong mark on a real syllable by its neighbour: a marked pair that no dictionary,
    catalogue name or lexicon phrase has, whose letters spell a lexicon pair differing in one
    syllable's marks, becomes that pair ("đừng tên" → đứng tên, "chuyến hộ khẩu" → chuyển hộ
    khẩu). A syllable that makes a known pair with its other neighbour is left alone."""

    def __init__(self, targets: Mapping[tuple[str, str], int], known: Iterable[tuple[str, str]], fixed: Iterable[str] = (),
                 unsounded: Iterable[tuple[str, str]] = ()):
        self._known = frozenset(known) | frozenset(targets)
        self._fixed = frozenset(fixed)  # never produced (function words: "nhà chỉ còn" is not "nhà chị")
        self._by_bare: dict[tuple[str, str], tuple[str, str]] = {}
        self._by_sound: dict[tuple[str, str], tuple[str, str]] = {}
        self._rank: dict[tuple[str, str], int] = {}  # most frequent first
        self.usage: Mapping[str, int] = {}  # how often citizens write each syllable (``Matcher`` fills it)
        unsounded = frozenset(unsounded)  # reached only by their marks, never by a sound-alike spelling
        for pair in sorted(targets, key=lambda p: (-targets[p], p)):
            self._by_bare.setdefault((strip_diacritics(pair[0]), strip_diacritics(pair[1])), pair)
            if pair not in unsounded:
                self._by_sound.setdefault((sound_key(pair[0]), sound_key(pair[1])), pair)
            self._rank[pair] = len(self._rank)

    def repair(self, tokens: list[str], only: set[int] | None = None) -> list[str]:
        """``only``: the positions that may be mended (all when None)."""
        out = list(tokens)
        known = [(a, b) in self._known for a, b in zip(tokens, tokens[1:])]
        for i in range(len(tokens) - 1):
            pair = (tokens[i], tokens[i + 1])
            bare = (strip_diacritics(pair[0]), strip_diacritics(pair[1]))
            if known[i] or bare[0] == pair[0] or bare[1] == pair[1]:
                continue
            same_letters = self._by_bare.get(bare)
            found = same_letters or self._by_sound.get((sound_key(pair[0]), sound_key(pair[1])))
            if not found or (found[0] == pair[0]) == (found[1] == pair[1]):
                continue
            j = i if found[0] != pair[0] else i + 1  # the syllable to mend
            if only is not None and j not in only:
                continue
            other = i - 1 if j == i else i + 1  # its pair with its other neighbour
            if same_letters and _both_marks_differ(pair[j - i], found[j - i]):
                continue  # "ông mặt tròn" is no "ông mất": a vowel mark and the tone both wrong is a word meant
            if self.usage.get(pair[j - i], 0) > self.usage.get(found[j - i], 0):
                continue  # "nhà ông Tư" is no "nhà ống": citizens write the typed syllable more often
            if (found[j - i] not in self._fixed and pair[j - i] not in _TYPED_AS_MEANT
                    and not (0 <= other < len(known) and known[other])):
                out[j] = found[j - i]
        return out

    def mend_by_neighbour(self, tokens: list[str], unknown: set[int]) -> list[str]:
        """A syllable no dictionary knows that lacks one letter of a lexicon pair it makes with a
        neighbour typed right, or has two neighbouring letters swapped, becomes that pair's
        syllable ("căn cưc" → căn cước, "giấ tờ" → giấy tờ, "nhập khuẩ" → nhập khẩu); the more
        frequent pair wins. Not when another tone of the same letters makes a known pair with a
        neighbour ("khai tữ" is khai tử)."""
        out = list(tokens)
        for j in sorted(unknown):
            typed = strip_diacritics(tokens[j])
            if not typed.isalpha() or self._retoned_pair(tokens, j):
                continue
            variants = {typed[:k] + letter + typed[k:] for k in range(len(typed) + 1) for letter in _BARE_LETTERS}
            variants.update(typed[:k] + typed[k + 1] + typed[k] + typed[k + 2:] for k in range(len(typed) - 1))
            best: tuple[int, str] | None = None
            for side in (j - 1, j + 1):
                if not 0 <= side < len(tokens) or side in unknown:
                    continue
                neighbour = tokens[side]
                plain = strip_diacritics(neighbour)
                for candidate in variants:
                    key = (plain, candidate) if side < j else (candidate, plain)
                    pair = self._by_bare.get(key)
                    if pair is None or pair[0 if side < j else 1] != neighbour:
                        continue
                    rank = self._rank[pair]
                    if best is None or rank < best[0]:
                        best = (rank, pair[1 if side < j else 0])
            if best is not None and best[1] not in self._fixed:
                out[j] = best[1]
        return out

    def _retoned_pair(self, tokens: list[str], j: int) -> bool:
        letters = toneless(tokens[j])
        for tone in _TONE_MARKS:
            toned = canonical_syllable(letters + tone)
            if (j > 0 and (tokens[j - 1], toned) in self._known) or (j + 1 < len(tokens) and (toned, tokens[j + 1]) in self._known):
                return True
        return False

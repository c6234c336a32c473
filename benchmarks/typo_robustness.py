"""How much quality the matcher loses to the typing slips citizens make.

Every in-scope question of the labelled sets that is typed with diacritics is matched as written
and then with seeded slips in its longer words, one kind at a time: a wrong tone mark, a
vowel mark dropped (â → a), a letter dropped, a letter doubled, a telex key left behind
("sinhh", "kys"), two neighbouring letters swapped, and all marks removed plus one slip.
The loss in hit@1 and hit@3 against the clean questions is the measure (same questions, same run).

    .venv/bin/python benchmarks/typo_robustness.py [--slips 2] [--seed 7]

Results: printed, and written to benchmarks/results/typo_robustness.json.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from bot.catalogue.provider import build_matcher
from bot.matching.evaluate import LabelledQuestion, Tally, read_questions
from bot.nlp.text import canonical_syllable, has_diacritics, strip_diacritics

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "typo_robustness.json"
SETS = ["citizen", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6"]

_TONES = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
_VOWEL_MARKS = {"\u0302", "\u0306", "\u031b"}  # â ê ô, ă, ơ ư
_TELEX_KEYS = {"\u0300": "f", "\u0301": "s", "\u0303": "x", "\u0309": "r", "\u0323": "j"}

Slip = Callable[[str, random.Random], str | None]


def _decomposed(word: str) -> list[str]:
    return list(unicodedata.normalize("NFD", word))


def _compose(chars: list[str]) -> str:
    return unicodedata.normalize("NFC", "".join(chars))


def wrong_tone(word: str, rng: random.Random) -> str | None:
    chars = _decomposed(word.lower())
    tones = [c for c in chars if c in _TONES]
    other = rng.choice([t for t in _TONES if t not in tones] + ([""] if tones else []))
    toneless = _compose([c for c in chars if c not in _TONES])
    return canonical_syllable(toneless + other)  # the tone on the vowel that carries it


def dropped_mark(word: str, rng: random.Random) -> str | None:
    chars = _decomposed(word)
    marked = [i for i, c in enumerate(chars) if c in _VOWEL_MARKS]
    if not marked and "đ" not in word:
        return None
    if marked:
        del chars[rng.choice(marked)]
        return _compose(chars)
    return word.replace("đ", "d", 1)


def dropped_letter(word: str, rng: random.Random) -> str | None:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 4:
        return None
    i = rng.choice(letters[1:])
    return word[:i] + word[i + 1 :]


def doubled_letter(word: str, rng: random.Random) -> str | None:
    i = rng.randrange(len(word))
    return word[: i + 1] + word[i] + word[i + 1 :] if word[i].isalpha() else None


def telex_left(word: str, rng: random.Random) -> str | None:
    tones = [c for c in _decomposed(word) if c in _TONES]
    return word + _TELEX_KEYS[tones[0]] if tones else None


def swapped(word: str, rng: random.Random) -> str | None:
    if len(word) < 4:
        return None
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


SLIPS: dict[str, Slip] = {
    "wrong tone": wrong_tone,
    "vowel mark dropped": dropped_mark,
    "letter dropped": dropped_letter,
    "letter doubled": doubled_letter,
    "telex key left": telex_left,
    "letters swapped": swapped,
}


def with_slips(text: str, slip: Slip, count: int, rng: random.Random) -> str:
    words = text.split(" ")
    positions = [i for i, w in enumerate(words) if len(strip_diacritics(w)) >= 4 and w.isalpha()]
    rng.shuffle(positions)
    done = 0
    for i in positions:
        changed = slip(words[i], rng)
        if changed and changed != words[i]:
            words[i] = changed
            done += 1
            if done == count:
                break
    return " ".join(words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", type=int, default=2, help="slips per question (default 2)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    questions: list[LabelledQuestion] = []
    for name in SETS:
        questions += [q for q in read_questions(HERE / "data" / f"{name}_questions.jsonl")
                      if q.in_scope and has_diacritics(q.text)]
    matcher = build_matcher()
    variants: dict[str, Callable[[str, random.Random], str]] = {"clean": lambda t, r: t}
    for kind, slip in SLIPS.items():
        variants[kind] = lambda t, r, slip=slip: with_slips(t, slip, args.slips, r)
    variants["no marks + letter dropped"] = lambda t, r: with_slips(strip_diacritics(t), dropped_letter, 1, r)

    results = {}
    print(f"{len(questions)} in-scope questions typed with diacritics, {args.slips} slips each")
    print(f"{'':<28}{'hit@1':>8}{'hit@3':>8}{'rejected':>10}{'Δ hit@1':>9}")
    for kind, make in variants.items():
        rng = random.Random(args.seed)
        tally = Tally()
        for q in questions:
            tally.add(q, matcher.match(make(q.text, rng)))
        m = tally.metrics()
        results[kind] = m
        delta = m["hit@1"] - results["clean"]["hit@1"]
        print(f"{kind:<28}{m['hit@1']:>8.3f}{m['hit@3']:>8.3f}{m['in_scope_rejected']:>10.3f}{delta:>+9.3f}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"slips": args.slips, "seed": args.seed, "questions": len(questions),
                                   "results": results}, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

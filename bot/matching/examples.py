"""Example questions per procedure (câu hỏi mẫu): a new question worded like a curated example
points to that example's procedure, whatever words the procedure's own name uses.

The bank is plain text in ``procedures_data/examples.d/*.txt``, one ``<code> | <question>`` per
line, so officials can add the questions the bot could not answer once they know the procedure.
"""
from __future__ import annotations

import json
import logging
import math
import re
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.matching.postings import Postings
from bot.paths import EXAMPLES_CACHE_DIR, EXAMPLES_DIR

PER_PROCEDURE = 6
PROFILE_K1 = 1.2  # BM25 over each procedure's examples pooled into one profile
PROFILE_B = 0.75
COMMON_SHARE = 0.05  # words in more than this share of the examples are not searched…
COMMON_MIN = 100  # …when that is more than this many examples
CACHE_KEPT = 3
_LINE = re.compile(r"^\s*([1-3]\.\d{6})\s*\|\s*(\S.*?)\s*$")


class ExampleError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Example:
    code: str
    text: str


def parse_examples(text: str) -> list[Example]:
    examples = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            raise ExampleError(f"dòng {line_no}: câu hỏi mẫu phải có dạng '<mã thủ tục> | <câu hỏi>'")
        examples.append(Example(m[1], m[2]))
    return examples


def load_examples(directory: Path = EXAMPLES_DIR) -> list[Example]:
    examples: list[Example] = []
    seen: set[tuple[str, str]] = set()
    for file in sorted(directory.glob("*.txt")) if directory.is_dir() else []:
        try:
            found = parse_examples(file.read_text(encoding="utf-8"))
        except ExampleError as exc:
            raise ExampleError(f"{file.name}: {exc}") from exc
        for example in found:
            if (example.code, example.text) not in seen:
                seen.add((example.code, example.text))
                examples.append(example)
    return examples


def cached_reading(key: str, read: Callable[[], Any], directory: Path = EXAMPLES_CACHE_DIR) -> Any:
    """What reading the examples gives (any JSON value), from a cache file named by ``key`` (a digest
    of all it depends on), read and stored when absent; a cache that cannot be read or written only
    costs time."""
    path = directory / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    reading = read()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(reading, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)
        for old in sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[CACHE_KEPT:]:
            old.unlink(missing_ok=True)  # other catalogues or lexicons: the most recent few stay
    except OSError as exc:
        logging.getLogger(__name__).warning("example cache not written: %s", exc)
    return reading


class ExampleIndex:
    """Cosine similarity (tf-idf over the bank) between a question's terms and every example,
    summed up per procedure as its support; and BM25 against each procedure's examples pooled
    into one profile, which knows every word its examples use between them."""

    def __init__(self, examples: Iterable[tuple[int, Mapping[str, float]]]):
        """``examples``: (procedure number, the example's weighted terms as the matcher reads them)."""
        rows = [(doc, dict(terms)) for doc, terms in examples if terms]
        n = len(rows)
        df: dict[str, int] = {}
        for _, terms in rows:
            for term in terms:
                df[term] = df.get(term, 0) + 1
        self.vocabulary = {t: i for i, t in enumerate(df)}
        self._idf = [math.log(1 + n / df[t]) for t in df]
        df_list = list(df.values())
        self._doc_of = [doc for doc, _ in rows]  # plain ints: read per close example
        term_ids, example_ids, values = array("i"), array("i"), array("f")
        common = max(COMMON_MIN, int(n * COMMON_SHARE))
        for number, (_, terms) in enumerate(rows):
            weights = {self.vocabulary[t]: w * self._idf[self.vocabulary[t]] for t, w in terms.items()}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            # words in many examples ("làm", "giấy") count in the norm but are not searched: they
            # cost the most and tell procedures apart the least
            weights = {t: w for t, w in weights.items() if df_list[t] <= common}
            term_ids.extend(weights)
            example_ids.extend([number] * len(weights))
            values.extend(w / norm for w in weights.values())
        self.size = n
        # the profiles are rows after the examples, their weights divided by the examples' idf so
        # that one weighted sum with the question's tf-idf factors scores both
        self._procedures = self._pool(rows, df_list, common, term_ids, example_ids, values)
        self._postings = Postings(term_ids, example_ids, values, len(self.vocabulary))

    def _pool(self, rows: list[tuple[int, dict[str, float]]], df_list: list[int], common: int,
              term_ids: array, row_ids: array, values: array) -> int:
        """BM25 weights of every procedure's pooled examples (idf over procedures), as rows
        ``size + procedure``; returns the number of procedure rows."""
        pooled: dict[int, dict[int, float]] = {}
        for doc, terms in rows:
            profile = pooled.setdefault(doc, {})
            for t, w in terms.items():
                tid = self.vocabulary[t]
                profile[tid] = profile.get(tid, 0.0) + w
        size = max(pooled, default=-1) + 1
        df = [0] * len(self.vocabulary)
        for profile in pooled.values():
            for tid in profile:
                df[tid] += 1
        idf = [math.log(1 + (len(pooled) - f + 0.5) / (f + 0.5)) for f in df]
        average = sum(sum(p.values()) for p in pooled.values()) / max(1, len(pooled))
        for doc, profile in pooled.items():
            norm = PROFILE_K1 * (1 - PROFILE_B + PROFILE_B * sum(profile.values()) / average)
            for tid, tf in profile.items():
                if df_list[tid] <= common:
                    term_ids.append(tid)
                    row_ids.append(self.size + doc)
                    values.append(idf[tid] * tf * (PROFILE_K1 + 1) / (tf + norm) / self._idf[tid])
        return size

    def __len__(self) -> int:
        return self.size

    def search(self, terms: Mapping[str, float], top: int = 40,
               per_procedure: int = PER_PROCEDURE) -> tuple[dict[int, float], np.ndarray | None]:
        """The support of each procedure, and its profile score, in one weighted sum.

        Support: procedure number → the root of the summed squares of its ``per_procedure`` best
        similarities among the ``top`` closest examples (several close examples say more than one
        that happens to share a word). Profile score: per procedure number, BM25 of the question
        against the procedure's pooled examples (None when nothing matched)."""
        factors, norm = [], 0.0
        for term, weight in terms.items():
            tid = self.vocabulary.get(term)
            # an unknown term still makes the question less like every example
            w = weight * (math.log(1 + self.size) if tid is None else self._idf[tid])
            norm += w * w
            if tid is not None:
                factors.append((tid, w))
        found = self._postings.weighted_sum(factors, self.size + self._procedures)
        if found is None or not norm:
            return {}, None
        profiles = found[self.size :]
        touched = np.flatnonzero(found[: self.size] > 0)  # a question shares words with few examples
        sims = found[touched] / math.sqrt(norm)
        if len(sims) > top:
            kept = np.argpartition(-sims, top - 1)[:top]
            touched, sims = touched[kept], sims[kept]
        order = np.argsort(-sims, kind="stable")
        squares: dict[int, list[float]] = {}
        for number, sim in zip(touched[order].tolist(), sims[order].tolist()):
            found_of = squares.setdefault(self._doc_of[number], [])
            if len(found_of) < per_procedure:
                found_of.append(sim * sim)
        support = {doc: math.sqrt(sum(found_of)) for doc, found_of in squares.items()}
        return support, (profiles if profiles.max(initial=0.0) > 0 else None)

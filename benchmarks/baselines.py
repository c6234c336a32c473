"""Two plain retrieval baselines over procedure names, for comparison with the matcher.

Both see the same served set as the matcher (citizen-facing procedures) and answer with the
top 5 names. Neither has a rejection rule of its own: a best score below ``threshold``
(calibrated on dev questions by the benchmark), or no candidate at all, gives status "none".
"""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from operator import itemgetter

from rapidfuzz import fuzz, process

from bot.catalogue.schema import Procedure
from bot.matching.matcher import Candidate, MatchPolicy, MatchResult, serves

TOP_K = 5
_TOKEN = re.compile(r"[^\W_]+")


def served(procedures: Sequence[Procedure]) -> list[Procedure]:
    """What the matcher serves under the default policy (citizen-facing procedures)."""
    policy = MatchPolicy()
    return [p for p in procedures if serves(p, policy)]


def _result(candidates: list[Candidate], threshold: float) -> MatchResult:
    status = "answer" if candidates and candidates[0].score >= threshold else "none"
    return MatchResult(status, "general", tuple(candidates))


class FuzzyBaseline:
    """rapidfuzz token_set_ratio of the lower-cased question against lower-cased names, nothing else."""

    def __init__(self, procedures: Sequence[Procedure], threshold: float = 0.0):
        self.procedures = served(procedures)
        self.titles = [p.name.lower() for p in self.procedures]
        self.threshold = threshold

    def search(self, text: str) -> list[Candidate]:
        hits = process.extract(text.lower(), self.titles, scorer=fuzz.token_set_ratio, limit=TOP_K)
        return [Candidate(self.procedures[i].code, self.procedures[i].name, s) for _, s, i in hits]

    def match(self, text: str) -> MatchResult:
        return _result(self.search(text), self.threshold)


def tokens(text: str) -> list[str]:
    """Lower-cased syllables: split on whitespace and punctuation."""
    return _TOKEN.findall(text.lower())


class BM25Baseline:
    """Okapi BM25 over name syllables with a dict-of-postings inverted index."""

    def __init__(self, procedures: Sequence[Procedure], threshold: float = 0.0, k1: float = 1.5, b: float = 0.75):
        self.procedures = served(procedures)
        self.threshold = threshold
        docs = [Counter(tokens(p.name)) for p in self.procedures]
        lengths = [sum(d.values()) for d in docs]
        avg = sum(lengths) / max(1, len(docs))
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc_no, counts in enumerate(docs):
            for term, tf in counts.items():
                postings[term].append((doc_no, tf))
        n = len(docs)
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for term, plist in postings.items():
            idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            self.postings[term] = [
                (d, idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[d] / avg))) for d, tf in plist
            ]

    def search(self, text: str) -> list[Candidate]:
        scores: dict[int, float] = defaultdict(float)
        for term, qtf in Counter(tokens(text)).items():
            for doc, weight in self.postings.get(term, ()):
                scores[doc] += qtf * weight
        best = heapq.nlargest(TOP_K, scores.items(), key=itemgetter(1))
        return [Candidate(self.procedures[d].code, self.procedures[d].name, round(s, 4)) for d, s in best]

    def match(self, text: str) -> MatchResult:
        return _result(self.search(text), self.threshold)

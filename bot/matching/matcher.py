"""From a citizen's question to procedures: pure, synchronous, built once per catalogue."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from bot.catalogue.schema import LEVELS, Level, Procedure
from bot.matching.index import ProcedureIndex, bare_token, display_name, terms_of
from bot.matching.spelling import SpellingRepair, vietnamese_syllables
from bot.nlp.lexicon import ASPECTS, Lexicon, default_lexicon
from bot.nlp.normalize import Normalizer
from bot.nlp.phrases import PhraseHit, PhraseMatcher
from bot.nlp.text import strip_diacritics

Status = Literal["answer", "clarify", "none"]
Aspect = Literal["general", "docs", "fee", "time", "place", "steps", "online", "conditions", "result"]

PROCEDURE_CODE = re.compile(r"(?<![\d.])([1-3])\s?\.\s?(\d{6})(?![\d.])")
TOP_K = 40
EXPANSION_WEIGHT = 0.9
CUE_WEIGHT = 0.25  # aspect words ("bao lâu", "lệ phí") still count, but little


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    """Deployment choices that shape which procedures are served and how ties break."""

    province: str | None = None
    levels: frozenset[Level] = frozenset(LEVELS)
    prefer_commune: bool = True
    # decision thresholds (calibrated on benchmarks/data, see README)
    min_confidence: float = 0.34
    min_confidence_without_cue: float = 0.55
    min_confidence_off_topic: float = 0.8
    clarify_ratio: float = 0.93


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    name: str
    score: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    status: Status
    aspect: Aspect
    candidates: tuple[Candidate, ...] = ()
    confidence: float = 0.0
    signals: dict = field(default_factory=dict, compare=False)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass
class Query:
    """What the matcher understood of one question."""

    tokens: list[str]  # all syllables after repair (cue detection)
    content: list[str]  # without politeness and filler words (matching)
    loose: bool
    aspect_hits: list[PhraseHit[str]]
    expansions: list[tuple[str, ...]]
    off_topic: bool
    admin: bool
    terms: dict[str, float] = field(default_factory=dict)
    cue_positions: set[int] = field(default_factory=set)


def serves(procedure: Procedure, policy: MatchPolicy) -> bool:
    """Whether a deployment offers this procedure to citizens."""
    if not procedure.citizen_facing:
        return False
    if procedure.type == "SPECIFIC" and policy.province and not same_province(procedure.province, policy.province):
        return False
    return bool(set(procedure.levels) & policy.levels)


def same_province(a: str | None, b: str) -> bool:
    def key(s: str) -> str:
        s = strip_diacritics(s.lower())
        for prefix in ("ubnd ", "uy ban nhan dan ", "tinh ", "thanh pho ", "tp. ", "tp "):
            s = s.removeprefix(prefix)
        return " ".join(s.split())

    return a is not None and key(a) == key(b)


class Matcher:
    def __init__(
        self,
        procedures: Iterable[Procedure],
        policy: MatchPolicy = MatchPolicy(),
        lexicon: Lexicon | None = None,
    ):
        self.policy = policy
        self.lexicon = lexicon or default_lexicon()
        self.normalizer = Normalizer(self.lexicon)
        all_procedures = list(procedures)
        self.catalogue = {p.code: p for p in all_procedures}
        self.stopwords = frozenset(strip_diacritics(w) for w in self.lexicon.function_words)
        self.index = ProcedureIndex(
            (p for p in all_procedures if serves(p, policy)), self.stopwords, self.normalizer.expand
        )
        target_counts = dict(self.index.unigram_counts)
        for word in self.lexicon.vocabulary():
            target_counts.setdefault(strip_diacritics(word), 1)
        self.spelling = SpellingRepair(target_counts, vietnamese_syllables())
        self._synonyms = PhraseMatcher(self.lexicon.synonyms)
        self._combination_parts = PhraseMatcher(
            (phrase, (rule, part))
            for rule, (parts, _) in enumerate(self.lexicon.combinations)
            for part, alternatives in enumerate(parts)
            for phrase in alternatives
        )
        self._off_topic = PhraseMatcher((p, True) for p in self.lexicon.offtopic_cues)
        self._admin = PhraseMatcher((p, True) for p in self.lexicon.admin_cues)
        self._aspects = PhraseMatcher(
            (phrase, aspect) for aspect in ASPECTS for phrase in self.lexicon.aspect_cues[aspect]
        )
        self._priors = np.array([self._prior(p) for p in self.index.procedures], dtype=np.float32)

    # -- public -------------------------------------------------------------------------
    def match(self, text: str) -> MatchResult:
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        query = self.analyse(text)
        direct = self._direct_codes(text)
        if direct:
            return MatchResult("answer", self._aspect(query, []), tuple(direct), 1.0, {"code": True})
        if not query.terms:
            return MatchResult("none", self._aspect(query, []))
        scores = self.index.scores(query.terms)
        if not scores.any():
            return MatchResult("none", self._aspect(query, []))
        return self._decide(query, scores)

    def analyse(self, text: str) -> Query:
        normalized = self.normalizer(text)
        loose = normalized.loose
        tokens = self._repair(normalized.raw_tokens)
        content = self._repair(normalized.tokens)
        query = Query(
            tokens=tokens,
            content=content,
            loose=loose,
            aspect_hits=self._aspects.find_all(content, loose),
            expansions=[],
            off_topic=bool(self._off_topic.find_all(tokens, loose)),
            admin=bool(self._admin.find_all(tokens, loose)),
        )
        for hit in query.aspect_hits:
            query.cue_positions.update(range(hit.start, hit.end))
        bare = [bare_token(t) for t in content]
        terms = query.terms
        for i, term in enumerate(bare):
            if term not in self.stopwords:
                terms[term] = max(terms.get(term, 0.0), CUE_WEIGHT if i in query.cue_positions else 1.0)
        for i, (a, b) in enumerate(zip(bare, bare[1:])):
            cue = i in query.cue_positions or i + 1 in query.cue_positions
            term = f"{a}_{b}"
            terms[term] = max(terms.get(term, 0.0), CUE_WEIGHT if cue else 1.0)
        for expansion in self._expansions(content, loose, query.cue_positions):
            expansion = tuple(bare_token(t) for t in expansion)
            if expansion in query.expansions:
                continue
            query.expansions.append(expansion)
            for term in terms_of(expansion):
                if term not in self.stopwords:
                    terms[term] = max(terms.get(term, 0.0), EXPANSION_WEIGHT)
        return query

    def _expansions(self, content: list[str], loose: bool, cue_positions: set[int]) -> list[tuple[str, ...]]:
        """Formal wording for what the citizen said: lexicon synonyms (longest first, not inside an
        aspect cue such as "trên VNeID") and combination rules (all parts anywhere in the question)."""
        found = [
            hit.payload
            for hit in self._synonyms.find_longest(content, loose)
            if not cue_positions.intersection(range(hit.start, hit.end))
        ]
        seen_parts: dict[int, set[int]] = {}
        for hit in self._combination_parts.find_all(content, loose):
            rule, part = hit.payload
            seen_parts.setdefault(rule, set()).add(part)
        for rule, parts in seen_parts.items():
            alternatives, target = self.lexicon.combinations[rule]
            if len(parts) == len(alternatives):
                found.insert(0, target)
        return found

    # -- query analysis -----------------------------------------------------------------
    def _repair(self, tokens) -> list[str]:
        out: list[str] = []
        for token in tokens:
            bare = strip_diacritics(token)
            repaired = self.spelling.repair(bare)
            out.extend(repaired if repaired != (bare,) else (token,))
        return out

    def _aspect(self, query: Query, docs: list[int]) -> Aspect:
        """The longest aspect cue wins (later on ties: questions end with the ask); a cue that is
        part of a candidate procedure's own name ("mai táng phí") is not an aspect."""
        hits = query.aspect_hits
        if docs:
            bare = [bare_token(t) for t in query.content]
            hits = [
                h for h in hits
                if not any(self._inside_name(bare, h, self.index.name_terms[d]) for d in docs)
            ]
        if not hits:
            return "general"
        best = max(hits, key=lambda h: (h.end - h.start, h.start))
        return best.payload  # type: ignore[return-value]

    @staticmethod
    def _inside_name(bare: list[str], hit: PhraseHit, name_terms: frozenset[str]) -> bool:
        left = f"{bare[hit.start - 1]}_{bare[hit.start]}" if hit.start > 0 else None
        span = "_".join(bare[hit.start : hit.end]) if hit.end - hit.start == 2 else None
        return (left in name_terms) or (span in name_terms)

    def _direct_codes(self, text: str) -> list[Candidate]:
        found = []
        for m in PROCEDURE_CODE.finditer(text):
            code = f"{m.group(1)}.{m.group(2)}"
            procedure = self.catalogue.get(code)
            if procedure is not None and procedure.citizen_facing:
                found.append(Candidate(code, display_name(procedure), 1.0))
        return found[:5]

    # -- ranking and decision -----------------------------------------------------------
    def _prior(self, procedure: Procedure) -> float:
        prior = 0.0
        if self.policy.prefer_commune and "commune" in procedure.levels:
            prior += 0.08
        if procedure.type == "SPECIFIC" and not self.policy.province:
            prior -= 0.2  # another province's own procedure: only when nothing nationwide fits
        return prior

    def _rank(self, query: Query, scores: np.ndarray) -> list[tuple[float, int]]:
        index = self.index
        upper = 2.0 * sum(w * index.idf.get(t, index.max_idf) for t, w in query.terms.items())
        top = np.argpartition(-scores, min(TOP_K, len(scores) - 1))[:TOP_K]
        query_unigrams = {t for t in query.terms if "_" not in t and t not in self.stopwords}
        ranked: list[tuple[float, int]] = []
        for doc in top:
            if scores[doc] <= 0:
                continue
            relevance = float(scores[doc]) / upper
            name_terms = index.name_terms[doc]
            name_coverage = self._name_coverage(doc, query_unigrams)
            phrase = max((self._phrase_in_name(e, name_terms) for e in query.expansions), default=0.0)
            final = relevance * (0.45 + 0.55 * name_coverage) + 0.12 * phrase + float(self._priors[doc])
            ranked.append((final, int(doc)))
        ranked.sort(reverse=True)
        return self._distinct(ranked)

    def _name_coverage(self, doc: int, query_unigrams: set[str]) -> float:
        weights = self.index.name_weights[doc]
        idf = self.index.idf
        covered = sum(idf[t] * w for t, w in weights.items() if t in query_unigrams and t not in self.stopwords)
        return covered / self.index.name_mass[doc]

    def _decide(self, query: Query, scores: np.ndarray) -> MatchResult:
        ranked = self._rank(query, scores)
        if not ranked:
            return MatchResult("none", self._aspect(query, []))
        best_doc = ranked[0][1]
        aspect = self._aspect(query, [d for _, d in ranked[:3]])
        confidence, signals = self._confidence(query, best_doc)
        candidates = tuple(
            Candidate(self.index.procedures[d].code, display_name(self.index.procedures[d]), round(s, 4))
            for s, d in ranked[:5]
        )
        policy = self.policy
        if confidence < policy.min_confidence:
            status: Status = "none"
        elif query.off_topic and (
            not (query.admin or query.expansions) or confidence < policy.min_confidence_off_topic
        ):
            status = "none"
        elif not query.admin and not query.expansions and confidence < policy.min_confidence_without_cue:
            status = "none"
        elif len(ranked) > 1 and ranked[1][0] >= policy.clarify_ratio * ranked[0][0]:
            status = "clarify"
        else:
            status = "answer"
        return MatchResult(status, aspect, candidates, confidence, signals)

    @staticmethod
    def _phrase_in_name(expansion: tuple[str, ...], name_terms: frozenset[str]) -> float:
        terms = [t for t in terms_of(expansion) if "_" in t] or list(expansion)
        return sum(t in name_terms for t in terms) / len(terms)

    def _distinct(self, ranked: list[tuple[float, int]]) -> list[tuple[float, int]]:
        """One candidate per distinct name (province variants share a name)."""
        seen: set[str] = set()
        out = []
        for score, doc in ranked:
            key = strip_diacritics(display_name(self.index.procedures[doc]).lower()).rstrip(". ")
            if key not in seen:
                seen.add(key)
                out.append((score, doc))
        return out

    def _confidence(self, query: Query, doc: int) -> tuple[float, dict]:
        """Share of the question's informative words that the best procedure explains."""
        index = self.index
        doc_terms, headline = index.doc_terms[doc], index.headline_terms[doc]
        total = matched = 0.0
        for i, token in enumerate(query.content):
            term = bare_token(token)
            if term in self.stopwords or i in query.cue_positions or term.isdigit():
                continue
            weight = index.idf.get(term, index.max_idf)
            total += weight
            if term in headline:
                matched += weight
            elif term in doc_terms:
                matched += 0.4 * weight  # only the document list mentions it
        coverage = matched / total if total else 0.0
        query_unigrams = {bare_token(t) for t in query.content}
        name_coverage = self._name_coverage(doc, query_unigrams)
        expansion_support = max(
            (self._phrase_in_name(e, index.name_terms[doc]) for e in query.expansions), default=0.0
        )
        confidence = max(coverage, 0.9 * expansion_support, 0.85 * name_coverage)
        signals = {
            "coverage": round(coverage, 3),
            "name": round(name_coverage, 3),
            "expansion": round(expansion_support, 3),
            "off_topic": query.off_topic,
            "admin": query.admin,
        }
        return confidence, signals

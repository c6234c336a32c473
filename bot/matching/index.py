"""Inverted index over the served catalogue: BM25F-style weights on diacritic-free syllables
and syllable bigrams, built once and rebuilt when the catalogue changes."""
from __future__ import annotations

import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from bot.catalogue.schema import Procedure
from bot.matching.postings import Postings
from bot.nlp.text import clean, strip_diacritics, syllables

# Relative weight of each procedure field; the name says most about what a citizen asks for.
FIELD_WEIGHTS = {"name": 1.0, "aside": 0.5, "results": 0.35, "field": 0.25, "documents": 0.1}
K1 = 1.2
B = {"name": 0.6, "aside": 0.3, "results": 0.3, "field": 0.0, "documents": 0.3}
_ASIDE = re.compile(r"\(([^()]*)\)")
_NAME_PREFIX = re.compile(r"^(thủ tục|thủ tục hành chính)\s+", re.IGNORECASE)
_SETTLE = re.compile(r"^giải quyết\s+(?=hưởng|chế độ|trợ cấp)", re.IGNORECASE)  # what the office does, not what citizens say
# "(thực hiện tại cấp tỉnh)", "cấp xã", "tại cấp tỉnh, cấp xã": the level is a field, not a word to match
_LEVEL_QUALIFIER = re.compile(
    r"\(?\s*(?:(?:được\s+)?thực hiện\s+)?(?:tại\s+)?cấp\s+(?:xã|tỉnh|huyện|trung ương|bộ|Tỉnh|Xã|Trung ương)"
    r"(?:\s*(?:,|và)\s*cấp\s+(?:xã|tỉnh|huyện|trung ương|bộ))*\s*\)?",
    re.IGNORECASE,
)


# Where the qualifying part of a name starts ("… đối với tổ chức", "…; cấp sổ BHXH")
_QUALIFIER_START = {"doi_voi", "trong_truong", "truong_hop", "cho_nguoi", "cho_to", "cho_cong", "cho_tre", "cho_doi"}
QUALIFIER_WEIGHT = 0.5
OTHER_SEGMENT_WEIGHT = 0.4
EVERYWHERE_MIN = 100  # procedures: below this a catalogue is too small to call a term everywhere
_SEGMENT_SPLIT = re.compile(r"[,;]")
Expand = Callable[[list[str]], list[str]]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def toned_syllables(text: str, expand: Expand = _identity) -> list[str]:
    return expand(syllables(clean(text)))


def bare_syllables(text: str, expand: Expand = _identity) -> list[str]:
    return [bare_token(s) for s in toned_syllables(text, expand)]


_NUMBER_WORDS = ("khong", "mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi")


def bare_token(syllable: str) -> str:
    """Diacritic-free form used for matching; small numbers as words (02, 2 → hai)."""
    bare = strip_diacritics(syllable)
    if bare.isdigit():
        value = int(bare)
        return _NUMBER_WORDS[value] if value <= 10 else str(value)
    return bare


def settled(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """A lexicon target read like ``matching_name`` reads names ("giải quyết hưởng chế độ thai
    sản" → "hưởng chế độ thai sản")."""
    return tuple(_SETTLE.sub("", " ".join(phrase)).split())


def matching_name(procedure: Procedure) -> str:
    """The name without level qualifiers, parenthetical asides and the office's "giải quyết"."""
    return _ASIDE.sub(" ", _LEVEL_QUALIFIER.sub(" ", _SETTLE.sub("", display_name(procedure))))


def name_aside(procedure: Procedure) -> str:
    """Parenthetical clarifications in a name ("(áp dụng cho cả trường hợp điểm chỉ…)")."""
    return " ".join(_ASIDE.findall(_LEVEL_QUALIFIER.sub(" ", display_name(procedure))))


def terms_of(tokens: Sequence[str]) -> list[str]:
    """Unigrams and adjacent bigrams (joined by '_')."""
    out = list(tokens)
    out.extend(f"{a}_{b}" for a, b in zip(tokens, tokens[1:]))
    return out


def display_name(procedure: Procedure) -> str:
    return _NAME_PREFIX.sub("", procedure.name).strip() or procedure.name


class IdfTable:
    """Inverse document frequency by term, over one array (a dict per term would not scale)."""

    def __init__(self, vocabulary: dict[str, int], values: list[float]):
        self._vocabulary = vocabulary
        self._values = values

    def __getitem__(self, term: str) -> float:
        return self._values[self._vocabulary[term]]

    def get(self, term: str, default: float | None = None) -> float | None:
        tid = self._vocabulary.get(term)
        return default if tid is None else self._values[tid]


class ProcedureIndex:
    """Searchable form of a list of procedures (the ones a deployment serves).

    Postings (``Postings``) give, per term, the documents with their field-weighted,
    length-normalised tf.
    """

    def __init__(
        self,
        procedures: Iterable[Procedure],
        function_words: frozenset[str] = frozenset(),
        expand: Expand = _identity,
    ):
        """``function_words`` are canonical toned syllables ("cần", "từ"): their bare forms
        ("can", "tu") also spell content words ("căn", "tử") and must not be dropped."""
        self.procedures: list[Procedure] = list(procedures)
        self._expand = expand
        self.function_words = function_words
        self._toned_cache: dict[str, list[str]] = {}  # catalogue texts repeat ("Tờ khai…")
        self.by_code = {p.code: i for i, p in enumerate(self.procedures)}
        n = len(self.procedures)
        fields = [self._fields(p) for p in self.procedures]
        avg_len = {f: max(1.0, sum(len(doc[f]) for doc in fields) / max(1, n)) for f in FIELD_WEIGHTS}

        self.vocabulary: dict[str, int] = {}
        self.toned_name_counts: Counter[str] = Counter()
        self.unigram_counts: Counter[str] = Counter()
        self.name_tokens: list[list[str]] = [doc["name"] for doc in fields]
        self.name_content: list[frozenset[str]] = []  # bare name words that are not function words
        self.name_segments: list[list[list[str]]] = []  # bare words of each comma segment
        self.name_terms: list[frozenset[str]] = []
        self.segment_weights: list[list[dict[str, float]]] = []  # per comma segment of the name
        self.headline_terms: list[frozenset[str]] = []  # name, aside, results and field
        term_ids, doc_ids, values = array("i"), array("i"), array("f")
        headline_df: Counter[int] = Counter()
        for doc_no, (procedure, doc) in enumerate(zip(self.procedures, fields)):
            weights: dict[int, float] = {}
            for field, tokens in doc.items():
                counts = Counter(terms_of(tokens))
                norm = 1 - B[field] + B[field] * len(tokens) / avg_len[field]
                for term, tf in counts.items():
                    tid = self.vocabulary.setdefault(sys.intern(term), len(self.vocabulary))
                    weights[tid] = weights.get(tid, 0.0) + FIELD_WEIGHTS[field] * tf * (K1 + 1) / (tf + K1 * norm)
            term_ids.extend(weights)
            doc_ids.extend([doc_no] * len(weights))
            values.extend(weights.values())
            headline = frozenset(
                sys.intern(t) for f in ("name", "aside", "results", "field") for t in terms_of(doc[f])
            )
            headline_df.update(self.vocabulary[t] for t in headline)
            self.headline_terms.append(headline)
            self.unigram_counts.update(set(doc["name"] + doc["aside"] + doc["results"] + doc["field"] + doc["documents"]))
            self.name_terms.append(frozenset(sys.intern(t) for t in terms_of(doc["name"])))
            toned = self._toned(matching_name(procedure))
            self.toned_name_counts.update(set(toned))
            self.name_content.append(frozenset(bare_token(t) for t in toned if t not in function_words))
            self.segment_weights.append(self._segment_weights(procedure))
            self.name_segments.append(
                [bare for part in _SEGMENT_SPLIT.split(matching_name(procedure)) if (bare := [bare_token(t) for t in self._toned(part)])]
                or [[]]
            )
        self._toned_cache.clear()

        self._postings = Postings(term_ids, doc_ids, values, len(self.vocabulary))
        df = np.diff(self._postings.offsets).astype(np.float64)
        # a term somewhere in over half of a large catalogue (document lists: "bản", "giấy", "đề
        # nghị") cannot tell procedures apart; scoring it would be most of a question's work
        self._everywhere = frozenset(np.flatnonzero(df > max(n / 2, EVERYWHERE_MIN)).tolist())
        # document lists mention "bản chính", "tờ khai"… everywhere: rarity is judged on the
        # headline fields when the term occurs there
        for tid, count in headline_df.items():
            df[tid] = count
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        self._idf = idf.tolist()
        self.idf = IdfTable(self.vocabulary, self._idf)
        self.max_idf = math.log(1 + (n + 0.5) / 0.5) if n else 1.0

    def _segment_weights(self, procedure: Procedure) -> list[dict[str, float]]:
        """Names often list several acts ("Giao đất, cho thuê đất, chuyển mục đích sử dụng đất
        đối với …"): one weighting per comma segment, the other segments and qualifiers counting less."""
        segments = []
        for part in _SEGMENT_SPLIT.split(matching_name(procedure)):
            toned = self._toned(part)
            if toned:
                weights = self._name_weights([bare_token(t) for t in toned])
                content = {bare_token(t) for t in toned if t not in self.function_words}
                segments.append({t: w for t, w in weights.items() if t in content})
        weights_list = []
        for k in range(len(segments)):
            combined: dict[str, float] = {}
            for j, weights in enumerate(segments):
                for token, w in weights.items():
                    w = w if j == k else min(w, OTHER_SEGMENT_WEIGHT)
                    combined[token] = max(combined.get(token, 0.0), w)
            weights_list.append(combined)
        return weights_list or [{}]

    @staticmethod
    def _name_weights(tokens: list[str]) -> dict[str, float]:
        weights: dict[str, float] = {}
        weight = 1.0
        for i, token in enumerate(tokens):
            if i and weight == 1.0 and f"{tokens[i - 1]}_{token}" in _QUALIFIER_START:
                weight = QUALIFIER_WEIGHT
                weights[tokens[i - 1]] = QUALIFIER_WEIGHT
            weights.setdefault(token, weight)
        return weights

    def _toned(self, text: str) -> list[str]:
        cached = self._toned_cache.get(text)
        if cached is None:
            cached = self._toned_cache[text] = toned_syllables(text, self._expand)
        return cached

    def _fields(self, procedure: Procedure) -> dict[str, list[str]]:
        bare = lambda text: [bare_token(t) for t in self._toned(text)]  # noqa: E731
        documents: list[str] = []
        for group in procedure.document_groups:
            for document in group.documents[:12]:
                documents.extend(bare(document.name)[:30])
        return {
            "name": bare(matching_name(procedure)),
            "aside": bare(name_aside(procedure)),
            "results": [t for r in procedure.results[:5] for t in bare(r)[:40]],
            "field": bare(procedure.field or ""),
            "documents": documents,
        }

    def __len__(self) -> int:
        return len(self.procedures)

    def scores(self, weighted_terms: dict[str, float]) -> np.ndarray:
        idf, everywhere = self._idf, self._everywhere
        found = self._postings.weighted_sum(
            ((tid, weight * idf[tid]) for term, weight in weighted_terms.items()
             if (tid := self.vocabulary.get(term)) is not None and tid not in everywhere),
            len(self.procedures),
        )
        return np.zeros(len(self.procedures), dtype=np.float64) if found is None else found

    def mentions(self, doc: int, term: str) -> bool:
        """Whether any field of a procedure (documents included) has the term."""
        tid = self.vocabulary.get(term)
        if tid is None:
            return False
        return self._postings.has(tid, doc)

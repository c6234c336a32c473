"""From a citizen's question to procedures: pure, synchronous, built once per catalogue.

Pipeline: normalise → repair spelling → find aspect cues, lexicon expansions and special groups
→ BM25F retrieval over the index → re-rank the top candidates (how much of the procedure's name
the question covers, curated phrases, deployment priors) → decide answer / clarify / none.
"""
from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np

from bot.catalogue.schema import LEVELS, Level, Procedure
from bot.matching import index as index_module
from bot.matching import spelling as spelling_module
from bot.matching.examples import Example, ExampleIndex, cached_reading, load_examples
from bot.matching.index import ProcedureIndex, bare_token, display_name, matching_name, settled, terms_of, toned_syllables
from bot.matching.spelling import (
    MarkedRepair,
    PairRepair,
    SpellingRepair,
    vietnamese_syllables,
    vietnamese_toned_syllables,
    vietnamese_toned_words,
    vietnamese_words,
)
from bot.nlp import lexicon as lexicon_module
from bot.nlp import normalize as normalize_module
from bot.nlp import phrases as phrases_module
from bot.nlp import text as text_module
from bot.nlp.lexicon import ASPECTS, Lexicon, default_lexicon, lexicon_files
from bot.nlp.normalize import NormalizedText, Normalizer
from bot.nlp.phrases import PhraseHit, PhraseMatcher
from bot.nlp.text import clean, strip_diacritics, syllables

Status = Literal["answer", "clarify", "none"]
Aspect = Literal["general", "docs", "fee", "time", "place", "steps", "online", "conditions", "result"]
Span = tuple[int, int]
_NO_DOCS: frozenset[int] = frozenset()

PROCEDURE_CODE = re.compile(r"(?<![\d.])([1-3])\s?\.\s?(\d{6})(?![\d.])")
_NAMED_LEVEL = {
    "commune": re.compile(r"cấp xã", re.IGNORECASE),
    "province": re.compile(r"cấp tỉnh", re.IGNORECASE),
    "ministry": re.compile(r"trung ương|cấp bộ", re.IGNORECASE),
}
# diacritic-free: "con le phi?" is "còn lệ phí?"
_FOLLOW_UP_WORDS = frozenset({"con", "vay", "the", "nua", "thi", "sao", "het", "tong", "cong", "tat", "ca", "khoang", "mat", "phai"})
_NEGATIONS = frozenset({"khong", "chua"})
_NOT_KNOWING = _NEGATIONS | {"ko", "k", "hong", "chang"}  # "nên không biết", "nên chưa rõ"
_MAY = ("duoc", "khong")
_DOCS_HEADS = frozenset({("ho", "so"), ("giay", "to"), ("thanh", "phan")})
_SEQUENCE_WORDS = frozenset({("cac", "buoc"), ("nhung", "buoc"), ("trinh", "tu"), ("quy", "trinh"), ("thu", "tu"), ("tuan", "tu"),
                             ("tung", "buoc")})
_UNMARKED_SEQUENCE_WORDS = _SEQUENCE_WORDS - {("thu", "tu")}  # "thu tu" typed bare is as often thứ Tư
_NEGATION_ADVERBS = frozenset({"kip", "he", "tung"})  # "chưa kịp", "chưa hề", "chưa từng"
_AGE_LEADS = frozenset({"du", "tron"})  # "đủ 14", "tròn 14"
_AGE_BOUNDS = frozenset({"duoi", "tren"})  # "dưới 14 tuổi", "trên 14 tuổi"
_AGE_WAITS = frozenset({"doi", "cho", "khi", "den", "toi"})  # "đợi / chờ / khi / đến / tới đủ 14"
_UNITS = frozenset({"thang", "nam", "ngay", "tuan", "met", "m", "m2", "trieu", "nghin", "ngan", "dong", "lan", "nguoi",
                    "cai", "sao", "ha", "kg", "ki", "ky", "phan", "tieng", "gio", "con", "nhan", "khau"})
REPAIR_MEMO = 50_000  # tokens whose repair is remembered
TOP_K = 30
EXACT_CANDIDATES = 15  # ranked exactly; base-procedure preference looks this far
NAMED_CANDIDATES = 8
CUE_WEIGHT = 0.25  # aspect words ("bao lâu", "lệ phí") still count, but little
EXPANSION_WEIGHT = 0.9
EARLIER_EXPANSION_WEIGHT = 0.6  # stories give context first and ask last
COMBINATION_WEIGHT = 0.9
CONTEXT_WEIGHT = 0.8
EXPANSION_CREDIT = 0.7  # a lexicon word covers a name less than the citizen's own word
COMMUNE_PRIOR = 0.1
VARIANT_SHARE = 1 / 3  # a variant whose added name words the question says less than this share of yields to its base…
PREFERRED_BASE_SHARE = 2 / 3  # …this share when the base is at a preferred level
PROVINCE_PRIOR = 0.02  # citizens go to the province before a ministry (passports: twins at both)
OTHER_PROVINCE_PRIOR = -0.5  # another province's own procedure: a last resort
GROUP_BONUS = 0.05
GROUP_PENALTY = 0.07
VARIANT_PENALTY = 0.06
AGE_PENALTY = 0.1  # "bà tôi 85 tuổi làm căn cước" is not the card for people under 14
CHILD_VARIANT_PENALTY = 0.05  # no age, no child: "lệ phí cấp căn cước" is the adults' card
ADULT_AGE = 18
_CHILD_WORDS = frozenset({"be", "tre", "nho", "con", "chau", "so"})  # bé, trẻ, nhỏ, con, cháu, sơ sinh
_NAME_AGES = (
    (re.compile(r"từ đủ (\d+) tuổi đến (?:dưới )?(\d+) tuổi", re.IGNORECASE), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"(?:từ đủ|từ|trên) (\d+) tuổi(?: trở lên)?", re.IGNORECASE), lambda m: (int(m[1]), 200)),
    (re.compile(r"dưới (\d+) tuổi", re.IGNORECASE), lambda m: (0, int(m[1]) - 1)),
)
MIN_EVIDENCE = 3.0  # idf mass of question words the best procedure explains
MIN_NAME_COVERAGE = 0.15  # "cách làm bánh chưng": its words are in a result text, not in a name
# example questions (câu hỏi mẫu): a procedure's support is how close its closest examples are
PHRASE_FIT_WEIGHT = 0.12  # rank bonus for a curated phrase that fits the name
COVERAGE_FLOOR = 0.45  # share of BM25 relevance a procedure keeps when the question says none of its name
EXAMPLE_WEIGHT = 0.3  # rank bonus for the best-supported procedure, less in proportion for the others
EXAMPLE_POOL = 0.3  # support that makes a procedure a candidate
EXAMPLE_CUE = 0.5  # support that makes the question administrative
EXAMPLE_CONFIDENCE = 0.9
PROFILE_WEIGHT = 3.0  # the pooled examples' BM25 next to the closest examples, in the rank bonus
# a long message with administrative words is a citizen's story: it is answered at a lower
# confidence, since stories rarely use a procedure's own words
STORY_CONFIDENCE = 0.15
ASPECT_ASK_CONFIDENCE = 0.2  # a short ask of an aspect with a weighty administrative word
STORY_WORDS = 15
_LIGHT_ADMIN = frozenset({("lam",), ("xin",), ("nop",)})  # administrative words said of anything ("xin số", "nộp bài")
_ADMIN_PLACES = frozenset({("mot", "cua")})  # where, not what ("bộ phận một cửa có mở trưa thứ Bảy không")
# in an ask, "nên làm gì để mẹ vui", "cho xin kinh nghiệm" say no administrative word; "nộp ở đâu" does
_ANY_DOING = _LIGHT_ADMIN - {("nop",)}
_QUESTION_WORDS = frozenset({"hay", "gi", "j", "nao", "sao", "khong", "ko", "k", "kg", "hong", "hok", "chua", "dau", "bao", "may", "ntn", "chi", "mo", "rang"})
_THANKS = re.compile(r"\b(cam on|thank|thanks|tks|thx)\b")
# typed with marks, a question word is itself ("đầu" is no "đâu", "chỉ" no "chi", "cán bộ" no "cần")
_MARKED_QUESTION_WORDS = frozenset({"hay", "gì", "j", "nào", "sao", "không", "ko", "k", "kg", "hông", "hok", "chưa", "đâu",
                                    "bao", "mấy", "ntn", "chi", "mô", "răng", "hả", "nhỉ"})
_REQUESTS = ("muốn", "cần", "xin", "nghị", "nguyện", "hỏi", "định", "tính", "mong", "giúp", "giùm")
_MARKED_ASKING = _MARKED_QUESTION_WORDS - {"hay"} | set(_REQUESTS)
_ASKING = _QUESTION_WORDS | {strip_diacritics(w) for w in _REQUESTS}
_REPORTING = frozenset({"khuyen", "bao", "dan", "noi", "keu", "bieu"})  # "cán bộ khuyên nên…": advice told, not asked
_POLITE_AFTER_XIN = frozenset({"hoi", "chao", "cam", "loi", "vui"})
_THANKING_AFTER_XIN = frozenset({"chan", "tran", "cam", "gui"})  # "xin chân thành / trân trọng cảm ơn"
_TOLD_REQUESTS = frozenset({"giup", "gium", "hoi"})  # "đã giải đáp giúp", "tự ra hỏi": done or to be done, not asked
_GOING = frozenset({"ra", "len", "di", "ve", "toi", "den", "tu"})
# the commune's staff, and what gossip says of them ("cô kế toán xã sắp cưới", "ông trưởng thôn mới mua xe hơi")
_STAFF = frozenset({("can", "bo"), ("ke", "toan"), ("chu", "tich"), ("truong", "thon"), ("truong", "ap"), ("truong", "ban"),
                    ("van", "thu")})
_PRIVATE_LIFE = frozenset({("sap", "cuoi"), ("moi", "cuoi"), ("cuoi", "vo"), ("cuoi", "chong"), ("lay", "vo"), ("lay", "chong"),
                           ("nghi", "huu"), ("nghi", "sinh"), ("mua", "xe"), ("xay", "nha"), ("ao", "dai"), ("len", "chuc"),
                           ("ten", "gi")})
_TOLD_BY_STAFF = frozenset({"bao", "noi", "dan", "nhac", "yeu", "huong", "keu", "bieu", "khuyen"})  # the staff told the citizen
GOSSIP_WINDOW = 8
# a loan's terms are the bank's to set ("lãi bao nhiêu, ân hạn mấy năm"); typed bare, "tinh lai" is as often "tính lại"
_LOAN_TERMS = frozenset({("lãi", "suất"), ("lãi", "bao"), ("tính", "lãi"), ("ân", "hạn"), ("lãi", "mấy")})
_BARE_LOAN_TERMS = frozenset({("lai", "suat")})  # not "an han": ân hận, án Hàn; "lai suat thue" is lại suất thuê
_RATE_AIDS = frozenset({"tro", "bu", "dai"})  # "hỗ trợ / bù / ưu đãi lãi suất": a procedure's aid
_DONE_WORDS = frozenset({"xong", "roi"})
_JUST_WORDS = frozenset({"vừa", "mới", "vua", "moi"})  # "vừa sang tên", "mới nhập khẩu"; not "thì mới", "mới bốn tuổi", "mối"
_NUMBER_WORDS = frozenset({"mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi", "may", "vai"})
AMBIGUOUS_MIN, AMBIGUOUS_RATIO = 5, 3  # unmarked phrase letters spelling other words this often are not read
DONE_WINDOW = 6  # at most this many words between the business and the word saying it is done
_DONE_PAIRS = frozenset({("da", "co"), ("dang", "hoang"), ("day", "du"), ("da", "lo"), ("da", "nhan"), ("da", "lam"),
                         ("con", "han"), ("tu", "lau"), ("moi", "co"), ("moi", "duoc"), ("vua", "duoc"),
                         # a time gone by ("nhận giấy kết hôn tháng trước")
                         ("thang", "truoc"), ("tuan", "truoc"), ("nam", "ngoai"), ("hom", "qua"), ("hom", "truoc"),
                         ("bua", "truoc"), ("bua", "qua"), ("hoi", "sang"), ("sang", "nay"), ("hom", "kia")})
# offices, policies and duties, diacritic-free ("can" is cán bộ and cần, "dong" đóng): an ask that says one is
# about a procedure ("ủy ban thu tiền theo trang hay theo bản")
_OFFICE_WORDS = frozenset({"xa", "phuong", "uy", "ubnd", "chinh", "dien", "giai", "xet", "dong", "nuoc", "can", "luat",
                           "quy", "tinh", "cong", "thue", "nop"})
# their forms with marks ("diện": who is eligible); "tính" (plan) and "cân" are no office
_OFFICE_FORMS = frozenset({"xã", "phường", "ủy", "ubnd", "chính", "điện", "diện", "giải", "xét", "đóng", "nước", "cán", "cần",
                           "luật", "quy", "quỹ", "tỉnh", "công", "thuế", "nộp"})
HOW_WINDOW = 4  # words between a channel and "làm thế nào" asking how to use it
ASK_WORDS = 3  # content words of a last sentence that asks about something else
ASK_OWN_WORDS = 2  # words an ask says that its procedure's text and example questions do not…
RARE_SPREAD = 20  # …one of them in fewer procedures' example questions than this
ASK_STRANGE_PAIRS = 3  # …or this many word pairs no procedure and no example question has
_SENTENCE = re.compile(r"[^.?!…\n]+[.?!…\n]*")
_PUNCTUATED = re.compile(r"[,;:.?!…\n]+")
_CLAUSE = re.compile(r"[^,;]+[,;]*")
CHAT_WORDS = 12  # a message this long…
MIN_CHAT_COVERAGE = 0.05  # …whose words the best procedure explains less than this, without any ask
RESULT_WINDOW = 8  # words before a documents cue that may say the procedure is done
STORY_EVIDENCE = 10.0  # …or a shorter one whose words the procedure's name explains well


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


class _Target(NamedTuple):
    bare: tuple[str, ...]  # matching forms
    words: tuple[str, ...]  # matching forms of its content words
    terms: tuple[str, ...]  # its words, then its word pairs
    groups: frozenset[int]  # special groups and acts it names


@dataclass
class Query:
    """What the matcher understood of one question."""

    content: list[str]  # syllables after filler removal and spelling repair
    loose: bool
    stop: list[bool]  # function words of content
    aspect_hits: list[PhraseHit[tuple[str, bool]]]
    cue_positions: set[int]
    admin: bool
    admin_words: list[tuple[str, ...]]  # the administrative phrases said, diacritic-free
    off_topic_spans: list[Span]
    strong_spans: list[Span] = field(default_factory=list)  # cues off-topic even in a long story ("hội thi nấu ăn")
    expansions: list[tuple[tuple[str, ...], float, Span]] = field(default_factory=list)
    phrase_pairs: list[tuple[str, ...]] = field(default_factory=list)  # each expansion's ``_phrase_terms``
    groups: frozenset[int] = frozenset()
    combined: list[tuple[str, ...]] = field(default_factory=list)  # expansions made by combination rules
    terms: dict[str, float] = field(default_factory=dict)

    bare: list[str] = field(default_factory=list)  # content's matching forms (bare_token)
    credits: dict[str, float] = field(default_factory=dict)  # unigram → 1 if said, less if inferred
    ages: tuple[int, ...] = ()  # "85 tuổi", "3 tháng tuổi" (0)
    examples: dict[int, float] = field(default_factory=dict)  # procedure → support of its example questions
    profiles: np.ndarray | None = None  # per procedure, BM25 against its pooled example questions
    own_terms: dict[str, float] = field(default_factory=dict)  # terms of the question's own words
    text: str = ""  # as the citizen wrote it

    @property
    def unigrams(self) -> set[str]:
        return set(self.credits)

    @property
    def strong_off_topic(self) -> bool:
        return bool(self.strong_spans)

    @cached_property  # read by both the decision and the aspect
    def ask(self) -> tuple[str, str] | None:
        """What a message of several sentences tells, and the sentence that asks."""
        return _ask_sentence(self.text)

    @property
    def asks_an_aspect(self) -> bool:
        """An aspect cue other than a plain "how" ("làm thế nào" is said of anything: "chiết cành thì làm thế nào";
        "bắt đầu từ đâu" still asks about a business)."""
        return any(h.payload[0] != "general" or self.bare[h.end - 2 : h.end] != ["the", "nao"] for h in self.aspect_hits)

    @property
    def says_weighty_admin(self) -> bool:
        """An administrative word other than those said of anything (làm, xin, nộp) and the office's name."""
        return any(w not in _LIGHT_ADMIN and w not in _ADMIN_PLACES for w in self.admin_words)

    @property
    def lookup_words(self) -> list[str]:
        """Its words for a look-up among marked words: their bare forms when typed without marks."""
        return self.bare if self.loose else self.content

    @property
    def words_said(self) -> int:
        """How many content words (not function words) the question has."""
        return sum(1 for stop in self.stop if not stop)


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


def _sentences(text: str) -> list[str]:
    """The text's sentences that have a word (end punctuation kept)."""
    return [s for s in _SENTENCE.findall(text) if any(c.isalpha() for c in s)]


def _ask_sentence(text: str) -> tuple[str, str] | None:
    """The last sentence with a question mark, else the last sentence, of a message of several,
    and what the message tells before it."""
    sentences = _sentences(text)
    if len(sentences) < 2:
        return None
    asks = [i for i, s in enumerate(sentences) if "?" in s]
    last = asks[-1] if asks else len(sentences) - 1
    return "".join(sentences[:last]), sentences[last]


def _asks_something(query: Query) -> bool:
    """A question mark or a question word ("gì", "nào", "không"…)."""
    if "?" in query.text:
        return True
    return bool((_QUESTION_WORDS if query.loose else _MARKED_QUESTION_WORDS).intersection(query.lookup_words))


def _thanks_only(query: Query) -> bool:
    """A message that thanks and neither asks nor requests anything ("Cảm ơn bạn, nhờ bạn chỉ mà sáng nay tôi
    nộp một lần là lọt"); not a letter that requests and closes with thanks. What the thanks tells is no
    request: "xin chân thành cảm ơn", "đã giải đáp giúp", "mai tôi tự ra hỏi", "dù sao"."""
    if "?" in query.text or not _THANKS.search(strip_diacritics(query.text.lower())):
        return False
    asking = _ASKING if query.loose else _MARKED_ASKING
    bare = query.bare
    for i, word in enumerate(query.lookup_words):
        if word not in asking:
            continue
        if bare[i] == "xin" and bare[i + 1 : i + 2] and bare[i + 1] in _THANKING_AFTER_XIN:
            continue
        if bare[i] in _TOLD_REQUESTS and ("da" in bare[max(0, i - 4) : i] or bare[i - 1 : i] and bare[i - 1] in _GOING):
            continue
        if bare[i - 1 : i + 1] == ["du", "sao"]:
            continue  # "dù sao cũng cảm ơn em"
        return False
    return True


def _gossip_in(bare: list[str]) -> bool:
    """A staff title, not after "là", then within a few words and before any word of telling, a private matter."""
    for i in range(len(bare) - 1):
        if (bare[i], bare[i + 1]) not in _STAFF or bare[i - 1 : i] == ["la"]:
            continue
        for k in range(i + 2, min(len(bare) - 1, i + 2 + GOSSIP_WINDOW)):
            if bare[k] in _TOLD_BY_STAFF:
                break
            if (bare[k], bare[k + 1]) in _PRIVATE_LIFE:
                return True
    return False


def _asks_loan_terms(query: Query) -> bool:
    """A question about a loan's interest or grace period, not about an aid to its interest."""
    words = query.lookup_words
    terms = _BARE_LOAN_TERMS if query.loose else _LOAN_TERMS
    bare = query.bare
    return any((a, b) in terms and not _RATE_AIDS.intersection(bare[max(0, i - 2) : i]) and bare[i + 2 : i + 3] != ["thue"]
               for i, (a, b) in enumerate(zip(words, words[1:])))


def _done_at(tokens: list[str]) -> list[int]:
    """Where a text says something is done ("lo xong rồi", "đã có", "vừa sang tên")."""
    bare = [bare_token(t) for t in tokens]
    return [i for i, t in enumerate(bare) if t in _DONE_WORDS or tuple(bare[i : i + 2]) in _DONE_PAIRS
            or (tokens[i] in _JUST_WORDS and bare[i - 1 : i] != ["thi"] and i + 1 < len(bare)
                and bare[i + 1] not in _NUMBER_WORDS and not bare[i + 1].isdigit()
                and "phai" not in bare[max(0, i - DONE_WINDOW) : i])]  # "phải có số đăng ký mới cho ra khơi": only then


def _polite_xin(raw: list[str], hit: PhraseHit) -> bool:
    """"xin hỏi", "xin cảm ơn", "xin vui lòng": politeness, not asking for a paper."""
    return (raw[hit.start : hit.end] == ["xin"] and hit.end < len(raw)
            and strip_diacritics(raw[hit.end]) in _POLITE_AFTER_XIN)


def _names_an_office(query: Query, start: int = 0, end: int | None = None) -> bool:
    """Whether the question's words (``start``:``end``) name an office, as typed: "tính" is no "tỉnh"."""
    return any(b in _OFFICE_WORDS and (t == b or t in _OFFICE_FORMS)
               for t, b in zip(query.content[start:end], query.bare[start:end]))


@lru_cache(maxsize=4096)
def _phrase_terms(expansion: tuple[str, ...]) -> tuple[str, ...]:
    """The bigrams of a curated phrase (its word when it has one word)."""
    return tuple(t for t in terms_of(expansion) if "_" in t) or expansion


def _addressees(segments: list[list[str]]) -> list[str]:
    """The part of a name that says whom it is for: its first segment and whatever follows
    "đối với" or "cho" ("… do cơ quan, tổ chức … cấp" names the issuer, not the applicant)."""
    tokens = [t for segment in segments for t in segment]
    head = list(segments[0])
    for i, token in enumerate(tokens):
        if token == "cho" or (token == "voi" and i and tokens[i - 1] == "doi"):
            return head + [""] + tokens[i + 1 :]
    return head


def _age_range(name: str) -> tuple[int, int] | None:
    """The ages a procedure's name is for ("cho người dưới 14 tuổi" → 0–13), if it says."""
    for pattern, bounds in _NAME_AGES:
        if m := pattern.search(name):
            return bounds(m)
    return None


def _child_variants(names: list[str], ranges: dict[int, tuple[int, int]]) -> frozenset[int]:
    """Procedures for children whose name, age aside, is also an adult one's ("cấp thẻ căn cước
    cho người dưới 14 tuổi" beside "… từ đủ 14 tuổi trở lên")."""
    def ageless(doc: int) -> str:
        name = names[doc]
        for pattern, _ in _NAME_AGES:
            name = pattern.sub("", name)
        return name
    adult = {ageless(d) for d, (_, high) in ranges.items() if high >= ADULT_AGE}
    return frozenset(d for d, (_, high) in ranges.items() if high < ADULT_AGE and ageless(d) in adult)


def _ages(bare: list[str], marked: list[str]) -> tuple[int, ...]:
    """Ages the question states (``bare``: its diacritic-free syllables, ``marked``: as typed): a number
    before "tuổi" (before "tháng tuổi": under one), or after "đủ / tròn" with no other unit ("tháng này đủ 14")."""
    ages = []
    for i, token in enumerate(bare):
        if not token.isdigit() or int(token) >= 130:
            continue
        waits = i > 1 and bare[i - 2] in _AGE_WAITS and marked[i - 2] != "tôi"  # "tới đủ 14", not "tôi tròn 14"
        if (i and bare[i - 1] in _AGE_BOUNDS) or (bare[i - 1] in _AGE_LEADS and waits):
            continue  # "dưới 14 tuổi" is a bound, "đợi đủ 14 tuổi" an age to come: not the person's age
        after = bare[i + 1] if i + 1 < len(bare) else None
        if after == "tuoi":
            ages.append(int(token))
        elif after == "thang" and i + 2 < len(bare) and bare[i + 2] == "tuoi":
            ages.append(0)
        elif i and bare[i - 1] in _AGE_LEADS and (after is None or after not in _UNITS):
            ages.append(int(token))
    return tuple(ages)


def _base_procedures(names: list[frozenset[str]]) -> dict[int, frozenset[int]]:
    """Per procedure, the others whose name words are a strict part of its own ("đăng ký khai
    sinh" of "đăng ký khai sinh lưu động")."""
    docs_of: dict[frozenset[str], list[int]] = {}  # one name's words are often several procedures'
    for doc, words in enumerate(names):
        docs_of.setdefault(words, []).append(doc)
    having: dict[str, set[frozenset[str]]] = {}
    for words in docs_of:
        for word in words:
            having.setdefault(word, set()).add(words)
    bases: dict[frozenset[str], list[int]] = {}
    for words, docs in docs_of.items():
        if words:
            holders = sorted((having[w] for w in words), key=len)
            for longer in holders[0].intersection(*holders[1:]):
                if len(longer) > len(words):
                    bases.setdefault(longer, []).extend(docs)
    return {doc: frozenset(bases[words]) for doc, words in enumerate(names) if words in bases}


def _parts_by_phrase(combinations) -> dict[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """Each phrase of a combination rule with the (rule, part) pairs it says."""
    pairs: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for rule, (parts, _) in enumerate(combinations):
        for part, alternatives in enumerate(parts):
            for phrase in alternatives:
                pairs.setdefault(phrase, []).append((rule, part))
    return {phrase: tuple(found) for phrase, found in pairs.items()}


def _forms_by_bare(phrases: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    """Phrases by their diacritic-free syllables."""
    forms: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for phrase in phrases:
        forms.setdefault(tuple(strip_diacritics(t) for t in phrase), set()).add(tuple(phrase))
    return forms


def _unmarked_ambiguous(phrases: Iterable[tuple[str, ...]], texts: Iterable[str]) -> frozenset[tuple[str, ...]]:
    """Lexicon phrases of several syllables whose unmarked letters the example questions, written with
    marks, mostly use for other words ("o dau": ở đâu, hardly ever ở đậu)."""
    by_bare = {key: forms for key, forms in _forms_by_bare(p for p in phrases if len(p) > 1).items()
               if key not in forms}  # "cho con" is written so
    prefixes = {key[:n] for key in by_bare for n in range(1, len(key) + 1)}
    same: Counter[tuple[str, ...]] = Counter()
    other: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        marked = syllables(text)
        bare = strip_diacritics(" ".join(marked)).split(" ")
        for i in range(len(bare)):
            for n in range(1, len(bare) - i + 1):
                key = tuple(bare[i : i + n])
                if key not in prefixes:
                    break
                if key in by_bare and tuple(marked[i : i + n]) != key:
                    (same if tuple(marked[i : i + n]) in by_bare[key] else other)[key] += 1
    return frozenset(key for key, n in other.items() if n >= AMBIGUOUS_MIN and n > AMBIGUOUS_RATIO * same[key])


def _joined(bare: list[str], first: PhraseHit, then: PhraseHit) -> bool:
    """Two cues asked one after the other with "và" between them."""
    return first.end <= then.start and bare[first.end : then.start] == ["va"]


def _inside(hit: PhraseHit, other: PhraseHit) -> bool:
    """``hit`` lies within the longer ``other``."""
    return other.start <= hit.start and hit.end <= other.end and other.end - other.start > hit.end - hit.start


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Matcher:
    def __init__(
        self,
        procedures: Iterable[Procedure],
        policy: MatchPolicy = MatchPolicy(),
        lexicon: Lexicon | None = None,
        examples: Iterable[Example] | None = None,
    ):
        self.policy = policy
        self.lexicon = lexicon or default_lexicon()
        self.normalizer = Normalizer(self.lexicon)
        all_procedures = list(procedures)
        self.catalogue = {p.code: p for p in all_procedures}
        self.function_words = frozenset(self.lexicon.function_words)
        self.index = ProcedureIndex(
            (p for p in all_procedures if serves(p, policy)), self.function_words, self.normalizer.expand
        )
        # bare forms of function words, except those that also spell frequent catalogue words
        # ("can": cần / căn cước, "tu": từ / khai tử)
        frequent_bare: dict[str, int] = {}
        for toned, count in self.index.toned_name_counts.items():
            if toned not in self.function_words:
                bare = strip_diacritics(toned)
                frequent_bare[bare] = frequent_bare.get(bare, 0) + count
        self._bare_function_words = frozenset(
            b for b in (strip_diacritics(w) for w in self.function_words) if frequent_bare.get(b, 0) < 20
        )
        vocabulary = self.lexicon.vocabulary()
        target_counts = dict(self.index.unigram_counts)
        for word in vocabulary:
            target_counts.setdefault(strip_diacritics(word), 1)
        self.spelling = SpellingRepair(target_counts, vietnamese_syllables())
        toned_counts = dict(self.index.toned_name_counts)
        for word in [*vocabulary, *self.function_words]:
            toned_counts.setdefault(word, 1)
        self.marked_spelling = MarkedRepair(toned_counts, vietnamese_toned_syllables(), vietnamese_toned_words())
        lex = self.lexicon
        self._admin = PhraseMatcher([*((p, True) for p in lex.admin_cues), *((p, False) for p in lex.not_admin)])
        self._cue_forms = _forms_by_bare([*(p for a in ASPECTS for p in lex.aspect_cues[a]), *lex.offtopic_cues])
        self._bigrams = frozenset(t for t in self.index.vocabulary if "_" in t)
        self._single_phrases: dict[str, set[str]] = {}  # one-syllable lexicon phrases by bare form
        for phrase in lex.situation_phrases():
            if len(phrase) == 1:
                self._single_phrases.setdefault(strip_diacritics(phrase[0]), set()).add(phrase[0])
        self._name_pairs: dict[str, set[tuple[str, str]]] = {}  # bare bigram of names → its toned forms
        toned_pairs: Counter[tuple[str, str]] = Counter()
        for procedure in self.index.procedures:
            toned = toned_syllables(matching_name(procedure), self.normalizer.expand)
            for a, b in zip(toned, toned[1:]):
                self._name_pairs.setdefault(f"{bare_token(a)}_{bare_token(b)}", set()).add((a, b))
                toned_pairs[(a, b)] += 1
        # nothing is mended into an off-topic phrase ("đại hội thì" is not "hội thi")
        offtopic = set(self.lexicon.offtopic_cues)
        lexicon_pairs = Counter(
            pair for phrase in self.lexicon.phrases() if phrase not in offtopic for pair in zip(phrase, phrase[1:])
        )
        offtopic_pairs = {pair for phrase in offtopic for pair in zip(phrase, phrase[1:])}  # "mặc đồ" stays
        # a pair an off-topic phrase also says is not reached by sound ("chuyển khoảng" is no "chuyển khoản")
        self.pair_spelling = PairRepair(lexicon_pairs, vietnamese_toned_words() | toned_pairs.keys() | offtopic_pairs,
                                        self.function_words, unsounded=offtopic_pairs)
        # special groups (foreigners, organisations…) anywhere in a name, and acts (cấp lại, gia
        # hạn…) at its start: a procedure marked so is chosen only when the question mentions one
        classes = [*lex.special_groups, *lex.actions]
        self._groups = PhraseMatcher(
            (tuple(bare_token(t) for t in phrase), n) for n, alternatives in enumerate(classes) for phrase in alternatives
        )
        # questions are matched on their own (toned) words: "sử dụng" is not "dừng"
        self._query_groups = PhraseMatcher((phrase, n) for n, alternatives in enumerate(classes) for phrase in alternatives)
        # what a question is searched for, in one pass: aspect cues, off-topic phrases, groups and
        # acts, parts of combination rules, synonyms (in this order: ``_read`` unpacks them)
        self._question_phrases = PhraseMatcher(
            (phrase, (kind, payload))
            for kind, matcher_phrases in enumerate((
                ((phrase, (a, phrase in lex.weak_aspect_cues)) for a in ASPECTS for phrase in lex.aspect_cues[a]),
                ((p, p in lex.strong_offtopic_cues) for p in lex.offtopic_cues),
                ((phrase, n) for n, alternatives in enumerate(classes) for phrase in alternatives),
                _parts_by_phrase(lex.combinations).items(),
                ((source, settled(target)) for source, target in lex.synonyms),
            ))
            for phrase, payload in matcher_phrases
        )
        first_action = len(lex.special_groups)
        exempt = PhraseMatcher((tuple(bare_token(t) for t in p), True) for p in lex.group_exemptions)
        self._doc_groups = []
        self._population_words: list[frozenset[str]] = []  # the words naming its special groups
        for tokens, segments in zip(self.index.name_tokens, self.index.name_segments):
            hits = self._groups.find_all(tokens)
            acts = {h.payload for h in hits if h.payload >= first_action and h.start <= 1}
            population: set[int] = set()
            if not exempt.find_all(tokens):
                population = {h.payload for h in self._groups.find_all(_addressees(segments)) if h.payload < first_action}
                issued_by = tokens.index("do") if "do" in tokens else len(tokens)  # "… do cơ quan nước ngoài cấp"
                population |= {h.payload for h in hits if h.payload in lex.whole_name_groups and h.end <= issued_by}
            self._doc_groups.append(frozenset(population | acts))
            self._population_words.append(frozenset(
                bare_token(tokens[i]) for h in hits if h.payload in population for i in range(h.start, h.end)))
        # float32 values, as plain floats: read per candidate
        self._priors = np.array([self._prior(p) for p in self.index.procedures], dtype=np.float32).tolist()
        self._bases = _base_procedures(self.index.name_content)
        self._display_names = [display_name(p) for p in self.index.procedures]
        self._age_ranges = {d: r for d, name in enumerate(self._display_names) if (r := _age_range(name))}
        self._child_variants = _child_variants(self._display_names, self._age_ranges)
        # per name segment: {term: idf × weight} and its total, for name coverage
        idf = self.index.idf
        self._segments = [
            [({t: idf[t] * w for t, w in weights.items()}, sum(idf[t] * w for t, w in weights.items()))
             for weights in segments]
            for segments in self.index.segment_weights
        ]
        self._last_query: tuple[str, Query] | None = None
        self._last_ask: tuple[str, Query] | None = None
        self._repaired = lru_cache(maxsize=REPAIR_MEMO)(self._repair_token)  # it depends on the token alone
        self._combination_targets = [settled(target) for _, target in lex.combinations]
        self._every_part = [(1 << len(parts)) - 1 for parts, _ in lex.combinations]  # masks for ``_expansions``
        # every expansion a question can bring (``_expansions``), worked out once
        self._targets = {phrase: self._target(phrase)
                         for phrase in [*self._combination_targets, *(settled(target) for _, target in lex.synonyms)]}
        # the procedures whose name has a word pair of some expansion (only those pairs are looked up)
        pairs = {t for target in self._targets.values() for t in _phrase_terms(target.bare)}
        named_with: dict[str, set[int]] = {}
        for doc, terms in enumerate(self.index.name_terms):
            for term in terms & pairs:
                named_with.setdefault(term, set()).add(doc)
        self._named_with = {term: frozenset(docs) for term, docs in named_with.items()}
        self._named_cache: dict[tuple[str, ...], np.ndarray] = {}
        for target in self._combination_targets:  # built now, not on a citizen's first question
            self._named_by(tuple(bare_token(t) for t in target))
        self._twin_keys = [
            " ".join(strip_diacritics(matching_name(p).lower()).replace(",", " ").split()).rstrip(". ")
            for p in self.index.procedures
        ]
        self._twins: dict[str, list[int]] = {}
        for doc, key in enumerate(self._twin_keys):
            self._twins.setdefault(key, []).append(doc)
        self._twins = {k: v for k, v in self._twins.items() if 1 < len(v) <= 8}
        self._twins_of = [self._twins.get(key, ()) for key in self._twin_keys]  # per doc, its name's twins
        self._name_keys = [strip_diacritics(name.lower()).rstrip(". ") for name in self._display_names]
        by_code = self.index.by_code
        served = [e for e in (load_examples() if examples is None else examples) if e.code in by_code]
        texts = [e.text for e in served]

        def read_bank() -> dict:
            # how often citizens write each syllable, and the phrases not read in unmarked text, come
            # first: reading the examples uses them
            self.pair_spelling.usage = Counter(syllable for text in texts for syllable in syllables(clean(text)))
            self._unmarked_ambiguous = _unmarked_ambiguous(self.lexicon.situation_phrases(), texts)
            return {"usage": self.pair_spelling.usage, "unmarked": sorted(self._unmarked_ambiguous),
                    "terms": [self.example_terms(t) for t in texts]}

        # the shipped bank: its reading is cached on disk
        reading = cached_reading(self._reading_key(texts), read_bank) if examples is None and lexicon is None else read_bank()
        self.pair_spelling.usage = reading["usage"]
        self._unmarked_ambiguous = frozenset(map(tuple, reading["unmarked"]))
        example_terms = reading["terms"]
        self.examples = ExampleIndex(  # twins share their examples: they count for the first twin
            (self._twins.get(self._twin_keys[by_code[e.code]], [by_code[e.code]])[0], terms)
            for e, terms in zip(served, example_terms)
        )
        # the words each procedure's example questions use, and in how many procedures' examples a word is
        self._example_words: dict[str, set[str]] = {}
        for e, terms in zip(served, example_terms):
            self._example_words.setdefault(self._twin_keys[by_code[e.code]], set()).update(t for t in terms if "_" not in t)
        self._example_spread: dict[str, int] = {}
        for words in self._example_words.values():
            for word in words:
                self._example_spread[word] = self._example_spread.get(word, 0) + 1
        self._example_pairs = frozenset(t for terms in example_terms for t in terms if "_" in t)

    def _reading_key(self, texts: list[str]) -> str:
        """Everything the reading of a text depends on: the texts, the code that reads them, the
        shipped lexicon and the served catalogue's words (spelling repair targets)."""
        digest = hashlib.sha256()
        for module in (__file__, spelling_module.__file__, normalize_module.__file__, phrases_module.__file__,
                       lexicon_module.__file__, text_module.__file__, index_module.__file__):
            digest.update(Path(module).read_bytes())
        for file in lexicon_files():
            digest.update(file.read_bytes())
        for counts in (self.index.unigram_counts, self.index.toned_name_counts):
            digest.update(repr(sorted(counts.items())).encode())
        digest.update("\n".join(texts).encode())
        return digest.hexdigest()

    # -- public -------------------------------------------------------------------------
    def match(self, text: str) -> MatchResult:
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        query = self.analyse(text)
        direct = self._direct_codes(text)
        if direct:
            return MatchResult("answer", self._aspect(query, None), tuple(direct), 1.0, {"code": True})
        if not query.terms:
            return MatchResult("none", self._aspect(query, None))
        scores = self.index.scores(query.terms)
        query.examples, query.profiles = self.examples.search(query.own_terms)
        if not scores.any() and not query.examples:
            return MatchResult("none", self._aspect(query, None))
        return self._decide(query, scores)

    def follow_up_aspect(self, text: str) -> Aspect | None:
        """The aspect asked when a message says nothing but an aspect ("còn lệ phí?", "nộp ở
        đâu", "mất mấy ngày"): it applies to the procedure under discussion."""
        query = self.analyse(text)
        if not query.aspect_hits:
            return None
        if any(not query.stop[i] and i not in query.cue_positions and query.bare[i] not in _FOLLOW_UP_WORDS
               for i in range(len(query.content))):
            return None
        return self._aspect(query, None)

    def analyse(self, text: str) -> Query:
        """The question's words, cues and expansions (the last one is kept: a conversation asks
        ``follow_up_aspect`` and then ``match`` about the same message; callers never mutate it)."""
        last = self._last_query
        if last is not None and last[0] == text:
            return last[1]
        query = self._analyse(text)
        self._last_query = (text, query)
        return query

    def _analyse_ask(self, text: str) -> Query:
        """The ask sentence of a story, analysed once for both the decision and the aspect."""
        last = self._last_ask
        if last is None or last[0] != text:
            last = self._last_ask = (text, self._analyse(text))
        return last[1]

    def _read(self, text: str) -> tuple[NormalizedText, list[str], list[str], list[list[PhraseHit]], list[bool], set[int]]:
        """Normalised, spelling mended; phrases found (aspect cues first); function words marked."""
        normalized = self.normalizer(text)
        tokens = list(normalized.tokens)
        # a marked syllable no dictionary knows is first read by its neighbour ("làm mấc" is làm
        # mất, not the nearest syllable "mắc"); what that leaves goes to the one-syllable repair
        unknown = {i for i, t in enumerate(tokens) if t.isalpha() and not self.marked_spelling.is_valid(t) and strip_diacritics(t) != t}
        for i in sorted(unknown):
            if toned := self.marked_spelling.telex_tone(tokens[i]):
                tokens[i] = toned  # "xã hôij": a tone key typed after the syllable, not a typo
                unknown.discard(i)
        if unknown:
            tokens = self.pair_spelling.repair(tokens, unknown)
            if still := {i for i in unknown if not self.marked_spelling.is_valid(tokens[i])}:
                tokens = self.pair_spelling.mend_by_neighbour(tokens, still)
        content = self.pair_spelling.repair(self._repair(tokens))
        plain = [strip_diacritics(t) for t in content]
        loose = normalized.loose
        # any marks for aspect cues: "giấy tơ gì" asks for documents
        found = self._question_phrases.find_kinds(content, (loose or None, loose, loose, loose, loose), plain)
        # an aspect word inside a longer lexicon phrase is that phrase's ("luật sư miễn phí" is legal aid)
        found[0] = [h for h in found[0] if not any(_inside(h, s) for s in found[4])]
        # a cue read through other marks than the ones typed yields to an off-topic phrase typed as written
        # ("cột đèn đầu hẻm" is no "đến đâu"), and otherwise counts only when no cue was typed as written
        # ("người thứ tư" is no "thứ tự")
        if found[0] and (found[1] or not loose):
            typed_off_topic = [(o.start, o.end) for o in found[1] if self._as_typed(content, plain, o)]
            cues = []
            for h in found[0]:
                if self._as_typed(content, plain, h):
                    cues.append(h)
                elif not any(_overlaps((h.start, h.end), o) for o in typed_off_topic):
                    cues.append(h if loose else PhraseHit(h.start, h.end, (h.payload[0], True)))
            found[0] = cues
        # typed without marks, a phrase whose letters mostly spell other words is not read ("o dau" is ở đâu, not ở đậu)
        for kind in (3, 4):
            found[kind] = [h for h in found[kind] if tuple(content[h.start:h.end]) not in self._unmarked_ambiguous]
        stop = [self._is_function_word(t, loose) for t in content]
        return normalized, content, plain, found, stop, {i for h in found[0] for i in range(h.start, h.end)}

    def _as_typed(self, content: list[str], plain: list[str], hit: PhraseHit) -> bool:
        """Whether a cue's words were typed with its own marks (or none at all)."""
        said, bare = content[hit.start : hit.end], plain[hit.start : hit.end]
        forms = self._cue_forms.get(tuple(bare), ())
        return any(all(t == f or t == b for t, b, f in zip(said, bare, form)) for form in forms)

    def _clause_bounds(self, text: str, size: int) -> set[int]:
        """Where a question's ``size`` words pass from one clause to the next (each clause
        normalised alone; none when their words do not add up to the whole)."""
        clauses = [c for c in _PUNCTUATED.split(text) if c.strip()]
        if len(clauses) < 2:
            return set()
        bounds, position = set(), 0
        for clause in clauses:
            position += len(self.normalizer(clause).tokens)
            bounds.add(position)
        return bounds if position == size else set()

    @staticmethod
    def _word_terms(bare: list[str], stop: list[bool], cue_positions: set[int]) -> dict[str, float]:
        """The question's own words and word pairs; aspect cues ("bao lâu", "lệ phí") weigh little."""
        terms: dict[str, float] = {}
        for i, term in enumerate(bare):
            if not stop[i]:
                terms[term] = max(terms.get(term, 0.0), CUE_WEIGHT if i in cue_positions else 1.0)
        for i, (a, b) in enumerate(zip(bare, bare[1:])):
            pair = f"{a}_{b}"
            cue = i in cue_positions or i + 1 in cue_positions
            terms[pair] = max(terms.get(pair, 0.0), CUE_WEIGHT if cue else 1.0)
        return terms

    def example_terms(self, text: str) -> dict[str, float]:
        """What an example question is compared on: its own words, like ``Query.own_terms``."""
        _, content, _, _, stop, cue_positions = self._read(text)
        return self._word_terms([bare_token(t) for t in content], stop, cue_positions)

    def _analyse(self, text: str) -> Query:
        normalized, content, plain, found, stop, cue_positions = self._read(text)
        aspect_hits, off_topic_hits, group_hits, part_hits, synonym_hits = found
        loose = normalized.loose
        # clause bounds only when a phrase of several words could cross one (normalising clauses costs)
        bounds = self._clause_bounds(text, len(content)) if any(h.end - h.start > 1 for h in off_topic_hits) else set()
        raw = self._repair(normalized.raw_tokens)
        admin_hits = [h for h in self._admin_hits(raw, loose) if not _polite_xin(raw, h)]
        query = Query(
            text=text,
            content=content,
            loose=loose,
            stop=stop,
            aspect_hits=aspect_hits,
            cue_positions=cue_positions,
            admin=bool(admin_hits),
            admin_words=[tuple(strip_diacritics(t) for t in raw[h.start:h.end]) for h in admin_hits],
            # an off-topic phrase read across an aspect cue is a misreading ("con bao nhieu" ≠ cơn bão), unless
            # it holds the whole cue ("lãi mấy phần trăm"); so is one read across a comma or a full stop ("quê ở
            # Nghệ An, cưới xong" ≠ ăn cưới)
            off_topic_spans=[
                (h.start, h.end) for h in off_topic_hits
                if not any(_overlaps((h.start, h.end), (c.start, c.end)) and not _inside(c, h) for c in aspect_hits)
                and not any(h.start < b < h.end for b in bounds)
                # inside a longer lexicon phrase, it is part of that phrase ("chữa bệnh cho heo": a vet)
                and not any(_inside(h, s) for s in synonym_hits)
            ],
        )
        query.strong_spans = [(h.start, h.end) for h in off_topic_hits if h.payload and (h.start, h.end) in query.off_topic_spans]
        bare = query.bare = [bare_token(t) for t in content]
        terms = query.terms = self._word_terms(bare, stop, cue_positions)
        query.own_terms = dict(terms)  # example questions are compared on the citizen's own words
        # a mistyped syllable is recognised by its neighbours when typed without marks, also
        # inside a question that has them elsewhere ("lam lai giay khai sin bị mất")
        unmarked = [loose or strip_diacritics(t) == t for t in content]
        if any(unmarked):
            for term, weight in self._context_terms(bare, query.stop, unmarked).items():
                terms.setdefault(term, weight)
        query.credits = {t: 1.0 for i, t in enumerate(bare) if not query.stop[i]}
        query.ages = _ages(plain, content)

        # a channel named as the way to submit still names the topic ("trên VNeID ghi sai ngày sinh")
        asked = {i for h in aspect_hits if h.payload[0] != "online" for i in range(h.start, h.end)}
        channels = [(h.start, h.end) for h in aspect_hits if h.payload[0] == "online"]
        expansions, combined = self._expansions(content, plain, loose, asked, part_hits, synonym_hits, channels)
        query.combined = [self._targets[phrase].bare for phrase in combined]
        groups = {h.payload for h in group_hits  # "mất mấy ngày" asks for time: nothing was lost
                  if not query.cue_positions.intersection(range(h.start, h.end))}
        for phrase, weight, span in expansions:
            target = self._targets[phrase]
            if any(c[0] <= span[0] and span[1] <= c[1] for c in channels):
                weight = min(weight, EARLIER_EXPANSION_WEIGHT)  # "khai tạm trú trên VNeID": the way in, not the topic
            if not any(target.bare == e for e, _, _ in query.expansions):  # said twice: kept once; its terms take the heavier weight below
                query.expansions.append((target.bare, weight, span))
            for term in target.terms:
                terms[term] = max(terms.get(term, 0.0), weight)
            for t in target.words:
                query.credits.setdefault(t, EXPANSION_CREDIT)
            groups |= target.groups
        query.phrase_pairs = [_phrase_terms(e) for e, _, _ in query.expansions]
        query.groups = frozenset(groups)
        return query

    # -- query analysis -----------------------------------------------------------------
    def _admin_hits(self, tokens: Sequence[str], loose: bool) -> list[PhraseHit]:
        """Administrative words, but not inside a phrase where they mean something else ("khai trương",
        "giấy khen")."""
        hits = self._admin.find_all(tokens, loose)
        other = [h for h in hits if not h.payload]
        return [h for h in hits if h.payload and not any(_inside(h, o) for o in other)]

    def _target(self, phrase: tuple[str, ...]) -> _Target:
        """What a lexicon expansion adds to a question (built once per phrase, see ``_targets``)."""
        bare = tuple(bare_token(t) for t in phrase)
        words = tuple(bare_token(t) for t in phrase if t not in self.function_words)
        return _Target(bare, words, words + tuple(t for t in terms_of(bare) if "_" in t),
                       frozenset(h.payload for h in self._query_groups.find_all(phrase, False)))

    def _is_function_word(self, token: str, loose: bool) -> bool:
        if token in self.function_words:
            return True
        return loose and token in self._bare_function_words

    def _repair(self, tokens) -> list[str]:
        """Typos mended: a marked syllable no dictionary knows ("sịnh", "giấ") becomes the
        nearest catalogue syllable; unmarked ones go through the diacritic-free repair."""
        out: list[str] = []
        for token in tokens:
            out.extend(self._repaired(token))
        return out

    def _repair_token(self, token: str) -> tuple[str, ...]:
        bare = strip_diacritics(token)
        if bare != token and (halves := self.marked_spelling.split(token)):
            return halves
        if bare != token and (nearest := self.marked_spelling.repair(token)):
            return (nearest,)
        repaired = self.spelling.repair(bare)
        return tuple(repaired) if repaired != (bare,) else (token,)

    def _context_terms(self, bare: list[str], stop: list[bool], unmarked: list[bool]) -> dict[str, float]:
        """Terms for a valid but mistyped syllable typed without diacritics ("ho chiu", "kinh
        doan"): on a side where the typed pair is neither a dictionary word nor in the catalogue
        and a one-letter change makes a catalogue pair, that pair is searched too (the question's
        own words stay as typed)."""
        known = self._bigrams
        words = vietnamese_words()
        extra: dict[str, float] = {}
        for i, word in enumerate(bare):
            if len(word) < 3 or stop[i] or not unmarked[i]:
                continue
            left = bare[i - 1] if i and not stop[i - 1] else None
            right = bare[i + 1] if i + 1 < len(bare) and not stop[i + 1] else None
            sides = [(n, p) for n, p in ((left, f"{left}_{word}"), (right, f"{word}_{right}"))
                     if n and p not in known and p not in words]
            if not sides:
                continue
            for candidate in self.spelling.neighbours(word):
                found = [f"{n}_{candidate}" if n == left else f"{candidate}_{n}" for n, _ in sides]
                found = [p for p in found if p in known]
                if found:
                    extra[candidate] = CONTEXT_WEIGHT
                    extra.update((p, CONTEXT_WEIGHT) for p in found)
                    break
        return extra

    def _expansions(self, content: list[str], plain: list[str], loose: bool, cue_positions: set[int],
                    part_hits: list[PhraseHit], hits: list[PhraseHit], channels: list[Span]):
        """Formal wording for what the citizen said, with a weight and the words it came from.

        Combination rules (every part somewhere in the question) come first and take over the
        words they used; then lexicon synonyms, not inside a longer synonym nor an aspect cue
        ("trên VNeID"), the last one weighing most (stories ask at the end); a phrase that only
        names the channel ("khai tạm trú trên VNeID": the way in) is left out when a topic is said."""
        found: list[tuple[tuple[str, ...], float, Span]] = []
        combined: list[tuple[str, ...]] = []
        parts_seen: dict[int, dict[int, list[Span]]] = {}
        combinations = self.lexicon.combinations
        said: dict[int, int] = {}  # rule → bit mask of the parts found at all: most rules can never complete
        for hit in part_hits:
            for rule, part in hit.payload:
                said[rule] = said.get(rule, 0) | 1 << part
        every_part = self._every_part
        complete = {rule for rule, parts in said.items() if parts == every_part[rule]}
        for hit in part_hits if complete else ():
            if cue_positions.intersection(range(hit.start, hit.end)):
                continue  # "mất bao lâu" asks for time, nobody died
            if not self._standalone(hit, content, plain, loose) or self._negated(hit, content, plain):
                continue
            for rule, part in hit.payload:
                if rule in complete:
                    parts_seen.setdefault(rule, {}).setdefault(part, []).append((hit.start, hit.end))
        taken: list[Span] = []
        for rule, parts in parts_seen.items():
            alternatives, target = combinations[rule][0], self._combination_targets[rule]
            if len(parts) == len(alternatives):
                spans = [span for hits in parts.values() for span in hits]  # every word the rule used
                taken.extend(spans)
                found.append((target, COMBINATION_WEIGHT, (min(s[0] for s in spans), max(s[1] for s in spans))))
                combined.append(target)
        if len(found) > 1:  # a rule told wholly before another is the story's background ("lấy chồng Đài Loan … ly hôn")
            latest = max(span[0] for _, _, span in found)
            found = [(t, EARLIER_EXPANSION_WEIGHT if span[1] <= latest else w, span) for t, w, span in found]
        kept = [
            h for h in hits
            if not any(_inside(h, o) for o in hits)
            and not cue_positions.intersection(range(h.start, h.end))
            and not any(_overlaps((h.start, h.end), s) for s in taken)
            and self._standalone(h, content, plain, loose)
        ]
        topical = [h for h in kept if not any(c[0] <= h.start and h.end <= c[1] for c in channels)]
        if topical or combined:
            kept = topical
        last = topical[-1] if topical and not combined else None
        for hit in kept:
            # a rule that needed several cues says more than one phrase ("mới sanh" … "tiền sinh con" … "bảo hiểm")
            weight = EXPANSION_WEIGHT if hit is last else EARLIER_EXPANSION_WEIGHT
            found.append((hit.payload, weight, (hit.start, hit.end)))
        return found, combined

    def _standalone(self, hit: PhraseHit, content: list[str], plain: list[str], loose: bool) -> bool:
        """A lone syllable typed without marks that makes a catalogue word with its neighbour
        belongs to that word ("quan su" is quân sự, not quán; "su dung" is not dừng)."""
        if not loose or hit.end - hit.start != 1 or content[hit.start] != plain[hit.start]:
            return True
        i = hit.start
        said = self._single_phrases.get(plain[i], set())
        if i and (forms := self._name_pairs.get(f"{plain[i - 1]}_{plain[i]}")) and not any(b in said for _, b in forms):
            return False
        if i + 1 < len(plain) and (forms := self._name_pairs.get(f"{plain[i]}_{plain[i + 1]}")) and not any(a in said for a, _ in forms):
            return False
        return True

    @staticmethod
    def _negated(hit: PhraseHit, content: list[str], plain: list[str]) -> bool:
        """A situation word right after a negation did not happen ("không tranh chấp", "chưa kịp
        cưới")."""
        i = hit.start - 1
        if i > 0 and plain[i] in _NEGATION_ADVERBS:
            i -= 1
        return i >= 0 and plain[i] in _NEGATIONS and plain[hit.start] not in _NEGATIONS

    def _aspect(self, query: Query, doc: int | None) -> Aspect:
        """The last aspect cue wins (questions end with the ask; the longer one on ties); a cue
        that is part of the chosen procedure's own name ("mai táng phí") is not an aspect."""
        hits = query.aspect_hits
        if doc is not None:
            bare = query.bare
            names = self.index.name_terms[doc]
            hits = [h for h in hits if not self._inside_name(bare, h, names)]
        strong = [h for h in hits if not h.payload[1]]
        hits = strong or hits
        hits = [h for h in hits if not any(_inside(h, other) for other in hits)]  # "tờ gì" is part of "giấy tờ gì"
        told_and_asked = query.ask
        if hits and told_and_asked is not None and "?" in told_and_asked[1]:
            # the question mark says where the ask is: its cues decide, and those of the story
            # before it are its scene ("… không mất tiền. Nhà tôi có được vậy không?"); an ask with
            # none is read by its wording ("… ở đâu được. Tôi có phải báo với công an xã không?")
            ask = self._analyse_ask(told_and_asked[1])
            if ask.aspect_hits:
                return self._aspect(ask, doc)
            hits, query = [], ask
        if not hits:
            # a search that starts with the file it wants ("hồ sơ tách thửa", "giấy tờ đổi căn cước")
            if tuple(query.bare[:2]) in _DOCS_HEADS:
                return "docs"
            # "tách hộ được không": whether the person may, when nothing else is asked
            return "conditions" if _MAY in zip(query.bare, query.bare[1:]) else "general"
        last = max(hits, key=lambda h: (h.end, h.end - h.start))
        chosen = last.payload[0]
        if chosen != "online" and any(h.payload[0] not in (chosen, "general", "online") and _joined(query.bare, h, last) for h in hits):
            return "general"  # "làm ở đâu và cần những gì": two asks
        if chosen == "docs" and self._after_done(query.bare, last, hits):
            return "result"  # "làm xong thì tôi cầm về giấy tờ gì": what the procedure gives
        sequence = _UNMARKED_SEQUENCE_WORDS if query.loose else _SEQUENCE_WORDS
        if chosen not in ("steps", "online") and any(
                h.payload[0] == "steps" and tuple(query.bare[h.start:h.end]) in sequence for h in hits):
            return "steps"  # "trình tự ra sao, có bắt buộc về không": the sequence is the ask, the rest its detail
        if chosen == "place" and any(h.payload[0] == "online" and query.bare[h.start] != "hay" for h in hits):
            return "online"  # "làm trên VNeID được không hay phải ra công an xã": asks whether online will do
        if chosen == "conditions" and any(h.payload[0] == "online" for h in hits):
            return "online"  # "khai tạm trú trên app có được không": whether it can be done online
        if chosen == "general" and any(h.payload[0] == "online" and h.end <= last.start <= h.end + HOW_WINDOW for h in hits):
            return "online"  # "khai sinh qua VNeID thì làm thế nào": how to do it online
        return chosen  # type: ignore[return-value]

    @staticmethod
    def _after_done(bare: list[str], cue: PhraseHit, hits: list[PhraseHit]) -> bool:
        """A documents cue asked once the procedure is done ("xong thì … giấy gì") or right after a
        result cue ("cầm về … giấy tờ gì") asks for the result."""
        window = bare[max(0, cue.start - RESULT_WINDOW) : cue.start]
        done = any(w in ("xong", "xuoi") and (k == 0 or window[k - 1] != "cho") for k, w in enumerate(window))
        return done or any(h.payload[0] == "result" and cue.start - RESULT_WINDOW <= h.start < cue.start for h in hits)

    @staticmethod
    def _inside_name(bare: list[str], hit: PhraseHit, name_terms: frozenset[str]) -> bool:
        """A cue said as part of the name: with the word before it ("mai táng phí"), or, when the cue
        is itself a pair of the name, with the word after it too ("lệ phí trước bạ"; not "điều kiện để")."""
        left = f"{bare[hit.start - 1]}_{bare[hit.start]}" if hit.start > 0 else None
        span = "_".join(bare[hit.start : hit.end]) if hit.end - hit.start == 2 else None
        right = f"{bare[hit.end - 1]}_{bare[hit.end]}" if hit.end < len(bare) else None
        return left in name_terms or (span in name_terms and right in name_terms)

    def _direct_codes(self, text: str) -> list[Candidate]:
        found = []
        for m in PROCEDURE_CODE.finditer(text):
            code = f"{m.group(1)}.{m.group(2)}"
            procedure = self.catalogue.get(code)
            if procedure is not None and procedure.citizen_facing:
                found.append(Candidate(code, display_name(procedure), 1.0))
        return found[:5]

    # -- ranking --------------------------------------------------------------------------
    def _prior(self, procedure: Procedure) -> float:
        name = display_name(procedure)
        named = {level for level, pattern in _NAMED_LEVEL.items() if pattern.search(name)}
        levels = named or set(procedure.levels)
        prior = COMMUNE_PRIOR if self.policy.prefer_commune and "commune" in levels else 0.0
        if not prior and "province" in levels:
            prior = PROVINCE_PRIOR
        if procedure.type == "SPECIFIC" and not self.policy.province:
            prior += OTHER_PROVINCE_PRIOR
        return prior

    def _name_coverage(self, doc: int, credits: dict[str, float]) -> float:
        """Best share, over the name's comma segments, of the name's idf mass the question says."""
        best = 0.0
        said = credits.items()  # fewer than a name's terms; the question's order: the same sum every run
        for weights, total in self._segments[doc]:
            if total:
                covered = 0.0
                weight_of = weights.get
                for term, credit in said:
                    if weight := weight_of(term):
                        covered += weight * credit
                if covered > best * total:
                    best = covered / total
        return best

    def _named_by(self, expansion: tuple[str, ...]) -> np.ndarray:
        """The procedures whose name contains every word pair of a lexicon phrase."""
        found = self._named_cache.get(expansion)
        if found is None:
            named = [self._named_with.get(t, _NO_DOCS) for t in _phrase_terms(expansion)]
            found = self._named_cache[expansion] = np.array(sorted(named[0].intersection(*named[1:])), dtype=np.int64)
        return found

    def _phrase_fits(self, phrases: list[tuple[str, ...]], docs: set[int]) -> dict[int, float]:
        """Per procedure among ``docs``, the best share, over curated phrases (their
        ``_phrase_terms``), of a phrase's word pairs in its name (procedures with none are left out)."""
        best: dict[int, float] = {}
        for pairs in phrases:
            counts: dict[int, int] = {}
            for term in pairs:
                for doc in self._named_with.get(term, _NO_DOCS) & docs:
                    counts[doc] = counts.get(doc, 0) + 1
            for doc, count in counts.items():
                if count / len(pairs) > best.get(doc, 0.0):
                    best[doc] = count / len(pairs)
        return best

    def _rank(self, query: Query, scores: np.ndarray) -> list[tuple[float, int]]:
        index = self.index
        upper = 2.0 * sum(w * index.idf.get(t, index.max_idf) for t, w in query.terms.items())
        top = np.argpartition(-scores, min(TOP_K, len(scores) - 1))[:TOP_K]
        pool = set(top.tolist())
        for expansion in query.combined:
            named = self._named_by(expansion)  # a lexicon phrase names it: a candidate even if BM25 ranks it low
            if len(named) > NAMED_CANDIDATES:
                named = named[np.argpartition(-scores[named], NAMED_CANDIDATES)[:NAMED_CANDIDATES]]
            pool.update(named.tolist())
        pool.update(d for d, sim in query.examples.items() if sim >= EXAMPLE_POOL)
        if query.examples:  # what the example questions favour is always a candidate
            pool.add(max(query.examples, key=query.examples.get))
        profiles = query.profiles
        top_profile = 0.0
        if profiles is not None:
            favourite = int(profiles.argmax())
            top_profile = float(profiles[favourite])
            pool.add(favourite)
        for doc in list(pool):
            pool.update(self._twins_of[doc])
        members = list(pool)
        bm25 = dict(zip(members, scores[members].tolist()))
        # the same procedure at several levels is equally relevant; priors decide between them
        best_of_twins: dict[str, float] = {}
        example_of_twins: dict[str, float] = {}
        profile_of_twins: dict[str, float] = {}
        if top_profile:
            profiled = [d for d in members if d < len(profiles)]
            profile_of = dict(zip(profiled, profiles[profiled].tolist()))
        for doc in members:
            key = self._twin_keys[doc]
            best_of_twins[key] = max(best_of_twins.get(key, 0.0), bm25[doc])
            if doc in query.examples:
                example_of_twins[key] = max(example_of_twins.get(key, 0.0), query.examples[doc])
            if top_profile and doc in profile_of:
                profile_of_twins[key] = max(profile_of_twins.get(key, 0.0), profile_of[doc])
        unigrams = query.unigrams
        top_example = max(example_of_twins.values(), default=0.0)
        share: dict[str, float] = {}  # of the best example support and profile score, mixed
        for key in best_of_twins:
            share[key] = example_of_twins.get(key, 0.0) / top_example if top_example else 0.0
            if top_profile:
                share[key] = (share[key] + PROFILE_WEIGHT * profile_of_twins.get(key, 0.0) / top_profile) / (1 + PROFILE_WEIGHT)
        variant_share = self._variant_shares(query, pool, share)
        fits = self._phrase_fits(query.phrase_pairs, pool)
        phrase_fit: dict[str, float] = {}  # twins share a name, so how well the question fits it
        bounded: list[tuple[float, float, float, int]] = []
        for doc in members:
            key = self._twin_keys[doc]
            score = best_of_twins[key]
            example = share[key]
            if score <= 0 and not example:
                continue
            relevance = min(1.0, score / upper)
            if key not in phrase_fit:
                phrase_fit[key] = fits.get(doc, 0.0)
            example = max(example, variant_share.get(key, 0.0))
            rest = PHRASE_FIT_WEIGHT * phrase_fit[key] + EXAMPLE_WEIGHT * example + self._priors[doc]
            if query.ages and doc in self._age_ranges:
                low, high = self._age_ranges[doc]
                if not any(low <= age <= high for age in query.ages):
                    rest -= AGE_PENALTY
            elif doc in self._child_variants and not query.ages and not unigrams & _CHILD_WORDS:
                rest -= CHILD_VARIANT_PENALTY
            groups = self._doc_groups[doc]
            if groups - query.groups:  # a group or act the question never mentioned
                rest -= GROUP_PENALTY
            elif groups:
                rest += GROUP_BONUS
            bounded.append((relevance + rest, relevance, rest, doc))
        # name coverage (the costly part) only where it can still reach the top candidates; the
        # others keep the score they would have with none
        bounded.sort(reverse=True)
        coverage_of: dict[str, float] = {}
        leaders: list[float] = []  # min-heap of the best exact scores, one per name
        named: set[str] = set()
        ranked: list[tuple[float, int]] = []
        for highest, relevance, rest, doc in bounded:
            if len(leaders) == EXACT_CANDIDATES and highest < leaders[0]:
                ranked.append((COVERAGE_FLOOR * relevance + rest, doc))
                continue
            key = self._twin_keys[doc]
            if key not in coverage_of:
                coverage_of[key] = self._name_coverage(doc, query.credits)
            final = relevance * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage_of[key]) + rest
            ranked.append((final, doc))
            if self._name_keys[doc] in named:
                continue  # one candidate per name (``_distinct``): a second one leads nothing
            named.add(self._name_keys[doc])
            if len(leaders) < EXACT_CANDIDATES:
                heapq.heappush(leaders, final)
            elif final > leaders[0]:
                heapq.heapreplace(leaders, final)
        ranked.sort(reverse=True)
        return self._distinct(self._prefer_base_procedures(ranked, unigrams, query.groups))

    def _variant_shares(self, query: Query, pool: set[int], share: dict[str, float]) -> dict[str, float]:
        """A procedure whose whole name the citizen said ("đăng ký khai sinh cần giấy tờ gì") gets
        the example share of its best-supported variant (the bank's questions about the base
        procedure rarely use its formal name; those about variants do, to tell them apart), unless
        it is less preferred for this deployment."""
        said = {t for t, credit in query.credits.items() if credit == 1.0}
        names = self.index.name_content
        out: dict[str, float] = {}
        for doc in pool:
            if not names[doc] or not names[doc] <= said:
                continue
            best = max((share[self._twin_keys[other]] for other in pool
                        if names[doc] < names[other] and self._priors[doc] >= self._priors[other]), default=0.0)
            key = self._twin_keys[doc]
            if best > out.get(key, 0.0):
                out[key] = best
        return out

    def _prefer_base_procedures(self, ranked: list[tuple[float, int]], unigrams: set[str], groups: frozenset[int]):
        """A variant whose name adds words the question never used ("đăng ký khai sinh cho người
        đã có hồ sơ…") yields to its base procedure ("đăng ký khai sinh") among the candidates,
        unless the base is less preferred for this deployment; a base yields to a variant for the
        group the question names ("bố cháu quốc tịch Pháp": khai sinh có yếu tố nước ngoài)."""
        index = self.index
        names = index.name_content
        leading = {d for _, d in ranked[:15]}
        named_variants = {base for d in leading if self._population_words[d] and self._doc_groups[d] <= groups
                          for base in self._bases.get(d, _NO_DOCS) if self._extends(d, base)} if groups else _NO_DOCS
        adjusted = []
        for rank, (score, doc) in enumerate(ranked):
            if doc in named_variants and not self._doc_groups[doc]:
                score -= VARIANT_PENALTY
            elif rank < 10:
                for other in self._bases.get(doc, _NO_DOCS) & leading:
                    if self._priors[other] < self._priors[doc]:
                        continue
                    extra = names[doc] - names[other]
                    said = sum(index.idf[t] for t in extra if t in unigrams)
                    # a base the deployment prefers (the commune's) keeps its place unless the question says
                    # most of what the variant adds
                    share = PREFERRED_BASE_SHARE if self._priors[other] > self._priors[doc] else VARIANT_SHARE
                    if said < share * sum(index.idf[t] for t in extra):
                        score -= VARIANT_PENALTY
                        break
            adjusted.append((score, doc))
        adjusted.sort(reverse=True)
        return adjusted

    def _extends(self, variant: int, base: int) -> bool:
        """Whether a name is its base's name and then words of a special group ("đăng ký khai sinh"
        + "có yếu tố nước ngoài"; not "nhập quốc tịch ở trong nước" → "… ở nước ngoài")."""
        tokens, start = self.index.name_tokens[variant], self.index.name_tokens[base]
        return (tuple(tokens[: len(start)]) == tuple(start)
                and self.index.name_content[variant] - self.index.name_content[base] <= self._population_words[variant])

    def _distinct(self, ranked: list[tuple[float, int]]) -> list[tuple[float, int]]:
        """One candidate per distinct name (province variants share a name)."""
        seen: set[str] = set()
        out = []
        for score, doc in ranked:
            key = self._name_keys[doc]
            if key not in seen:
                seen.add(key)
                out.append((score, doc))
        return out

    # -- decision ---------------------------------------------------------------------------
    def _decide(self, query: Query, scores: np.ndarray) -> MatchResult:
        ranked = self._rank(query, scores)
        if not ranked:
            return MatchResult("none", self._aspect(query, None))
        best_doc = ranked[0][1]
        confidence, signals = self._confidence(query, best_doc)
        candidates = tuple(
            Candidate(self.index.procedures[d].code, self._display_names[d], round(s, 4))
            for s, d in ranked[:5]
        )
        policy = self.policy
        threshold = policy.min_confidence
        # a citizen's story: long, administrative, and its off-topic words are part of the tale
        # ("bán đất lấy tiền chữa bệnh cho vợ", "cơn bão quật đổ rừng keo")
        story = query.admin and query.words_said >= STORY_WORDS
        # "xin", "nộp" and "làm" alone are said of anything ("xin số", "nộp bài tập"): such a story
        # still meets its off-topic words
        weighty = query.says_weighty_admin
        procedural = story and (query.expansions or weighty)
        if (story and not query.strong_off_topic) or (
                weighty and not query.off_topic_spans and signals["evidence"] >= STORY_EVIDENCE):
            threshold = min(threshold, STORY_CONFIDENCE)
        if weighty and query.asks_an_aspect and not query.off_topic_spans:
            threshold = min(threshold, ASPECT_ASK_CONFIDENCE)  # "cắt miếng đất cho 2 đứa con thì nộp ở văn phòng nào"
        if confidence < threshold:
            status: Status = "none"
        elif ((not procedural or query.strong_off_topic) and self._says_off_topic(query, best_doc)
              and not self._beyond_off_topic(query, signals["literal"], story)):
            status = "none"
        elif (not query.admin and not query.expansions and signals["example"] < EXAMPLE_CUE
              and confidence < policy.min_confidence_without_cue):
            status = "none"
        elif self._unexplained_chat(query, signals):
            status = "none"
        elif (self._asks_elsewhere(query, best_doc) or _thanks_only(query) or self._gossip(query)
              or _asks_loan_terms(query)):
            status = "none"
        elif len(ranked) > 1 and ranked[1][0] >= policy.clarify_ratio * ranked[0][0]:
            status = "clarify"
        else:
            status = "answer"
        return MatchResult(status, self._aspect(query, best_doc), candidates, confidence, signals)

    def _gossip(self, query: Query) -> bool:
        """A sentence about a staff member's own life ("nghe nói chị cán bộ văn hóa xã sắp cưới", "cô cán bộ mặc áo
        dài đẹp quá"); not a relative who is one ("mẹ tôi là cán bộ xã nghỉ hưu"), nor what the staff told the
        citizen, nor the citizen's own life told after ("cán bộ xã chép nhầm. Sắp làm chế độ nghỉ hưu…")."""
        if not _gossip_in(query.bare):
            return False
        return any(_gossip_in([bare_token(t) for t in self.normalizer(s).tokens]) for s in _sentences(query.text))

    @staticmethod
    def _unexplained_chat(query: Query, signals: dict) -> bool:
        """A long message without one administrative word or any ask about a procedure, whose words
        the best procedure hardly explains, is chat that happens to contain a life event ("mèo mẹ
        mới đẻ…", "chị văn thư nghỉ đẻ rồi hả…")."""
        return (not query.admin and not query.asks_an_aspect and query.words_said >= CHAT_WORDS
                and signals["coverage"] < MIN_CHAT_COVERAGE)

    def _asks_elsewhere(self, query: Query, doc: int) -> bool:
        """A message that tells of a procedure and then asks, in a sentence of its own and with no
        administrative word, for advice ("nên"), about something off-topic ("Bố tôi mới mất… Nên
        chuẩn bị mâm cúng thế nào?"), for a place that is no office, or in words of its own that the
        procedure never uses, or for advice on the occasion of a business told done ("…có giấy phép
        kinh doanh rồi. Nên bán thêm mặt hàng gì"); and a one-sentence message whose last clause asks
        for advice, or asks something off-topic after the clauses told a business done."""
        told_and_asked = query.ask
        in_one_sentence = told_and_asked is None
        if in_one_sentence:
            # "tuần sau đi làm giấy kết hôn rồi, giờ nên đặt món gì": only its last clause may ask
            # for advice; a clause's other words are too often the detail of an administrative ask
            clauses = [c for c in _CLAUSE.findall(query.text) if any(ch.isalpha() for ch in c)]
            if len(clauses) < 2:
                return False
            told_and_asked = "".join(clauses[:-1]), clauses[-1]
            if "nen" not in strip_diacritics(clauses[-1].lower()).split():
                # "mới làm căn cước xong, tiện ghé chợ, mà tiệm nào làm bánh kem ngon": a business told
                # done, then an off-topic ask
                ask = self._analyse_ask(clauses[-1])
                if not query.off_topic_spans:  # "…nhập hộ khẩu xong, mèo Anh hay mèo ta dễ chăm hơn": words of its own
                    return (not ask.admin_words and not ask.expansions and not query.asks_an_aspect
                            and _asks_something(ask) and ask.words_said >= ASK_WORDS and self._asks_of_its_own(ask, doc)
                            and self._procedure_done(told_and_asked[0]))
                return (bool(ask.off_topic_spans) and (not ask.asks_an_aspect or self._asks_a_private_place(ask))
                        and not ask.expansions and all(w in _ANY_DOING for w in ask.admin_words)
                        and self._procedure_done(told_and_asked[0]))
        told, asked = told_and_asked
        ask = self._analyse_ask(asked)
        if not in_one_sentence and ask.words_said < ASK_WORDS and not ask.aspect_hits and not ask.admin_words:
            # "Hai đứa tính đi trăng mật ở Đà Lạt. Tháng này lên đó có lạnh không?": a short ask leans on
            # the sentence before it
            sentences = _sentences(told)
            if len(sentences) >= 2:
                told, asked = "".join(sentences[:-1]), sentences[-1] + asked
                ask = self._analyse_ask(asked)
        if ask.strong_off_topic and not ask.asks_an_aspect and not in_one_sentence:
            return True  # "làm sao để khuyên nó chịu đi kiếm việc làm": the job is what it persuades to
        if ask.words_said < ASK_WORDS or (ask.admin and ask.asks_an_aspect) or any(w not in _ANY_DOING for w in ask.admin_words):
            return False
        if ask.expansions:
            # "…giấy kết hôn nhận rồi. Giờ nhà gái mời ăn đám hỏi, tôi nên mang quà gì": the business is
            # done and the ask wants advice on its occasion, not on a procedure
            # "…mới có giấy xác nhận tình trạng hôn nhân. Đám hỏi ngoài nớ cần mấy tráp?": the ask's
            # procedure words are its off-topic scene's own
            scene_only = ask.off_topic_spans and all(
                any(_overlaps(span, off) for off in ask.off_topic_spans) for _, _, span in ask.expansions)
            return (not ask.asks_an_aspect and (self._asks_advice(ask) or scene_only)
                    and self._procedure_done(told))
        if in_one_sentence:
            return self._asks_advice(ask)
        if self._asks_advice(ask) or ask.off_topic_spans and (not ask.asks_an_aspect or self._asks_a_private_place(ask)):
            return True
        if self._asks_of_its_own(ask, doc):
            return True
        # the procedure is done, and the ask says no administrative word ("làm" neither), names no
        # office and asks nothing a procedure answers
        # ("giấy khai sinh có rồi. giờ bé bị hăm, bôi gì cho nhanh khỏi?"); an office word as typed: "hòa đồng",
        # "yên tĩnh" name none
        return ((not ask.admin or len(self._own_words(ask, doc)) >= ASK_OWN_WORDS)
                and not ask.asks_an_aspect and not _names_an_office(ask)
                and self._procedure_done(told))

    def _procedure_done(self, told: str) -> bool:
        """Whether the background says an administrative business is done, near its words
        ("giấy khai sinh làm xong rồi", "đã có sổ đỏ"; not "quán bán được hai tháng rồi", "đóng
        xong chiếc ghe để chở lúa trên kênh, chưa có giấy tờ")."""
        # "… phục viên rồi. Giấy xuất ngũ cháy mất", "tang lễ xong xuôi, tôi cần lo giấy báo tử": not done
        for clause in _PUNCTUATED.split(told):
            normalized = self.normalizer(clause)
            near: set[int] = set()
            bare = [bare_token(t) for t in normalized.tokens]
            for hit in self._admin_hits(normalized.tokens, normalized.loose):
                if _NEGATIONS.intersection(bare[max(0, hit.start - 4) : hit.start]):
                    continue  # "chưa từng có tờ giấy nào": nothing was done
                near.update(range(hit.start - DONE_WINDOW, hit.end + DONE_WINDOW))
            if any(i in near for i in _done_at(list(normalized.tokens))):
                return True
        return False

    def _asks_of_its_own(self, ask: Query, doc: int) -> bool:
        """An ask with words of its own that neither the procedure's text nor its example questions
        use, one of them rare in every procedure's examples ("ví da bò thật mua ở đâu uy tín"), or
        with word pairs no procedure and no example question has ("tôn lạnh", "chống thấm")."""
        own = self._own_words(ask, doc)
        if len(own) >= ASK_OWN_WORDS and any(self._example_spread.get(b, 0) < RARE_SPREAD for b in own):
            return True
        said = self._said(ask)
        pairs = [f"{a}_{b}" for (i, a), (j, b) in zip(said, said[1:]) if j == i + 1]
        strange = [p for p in pairs if p not in self._example_pairs and p not in self.index.vocabulary]
        return len(strange) >= ASK_STRANGE_PAIRS

    @staticmethod
    def _said(ask: Query) -> list[tuple[int, str]]:
        return [(i, b) for i, b in enumerate(ask.bare) if not ask.stop[i] and i not in ask.cue_positions]

    def _own_words(self, ask: Query, doc: int) -> list[str]:
        """The ask's words that neither the procedure's text nor its example questions use."""
        known = self._example_words.get(self._twin_keys[doc], set())
        return [b for _, b in self._said(ask) if b not in known and not self.index.mentions(doc, b)]

    @staticmethod
    def _asks_advice(ask: Query) -> bool:
        """"nên nấu món gì"; not "nên lên xã hỏi" (going to an office is no private matter), nor
        "nên muốn gia hạn" (so, wanting to)."""
        if not _asks_something(ask):
            return False  # "bé sắp thi nên gấp lắm": a reason told, nothing asked
        return any((t == "nên" or (ask.loose and t == "nen")) and not _names_an_office(ask, k + 1, k + 4)
                   and ask.bare[k + 1 : k + 2] != ["muon"] and not _REPORTING.intersection(ask.bare[max(0, k - 4) : k])
                   and not (k + 2 < len(ask.bare) and ask.bare[k + 1] in _NOT_KNOWING)  # "nên k biết": so I do not know
                   for k, t in enumerate(ask.content))

    @staticmethod
    def _asks_a_private_place(ask: Query) -> bool:
        """Where to go, without naming an office ("chỗ nào chụp ảnh cưới đẹp")."""
        return all(h.payload[0] in ("place", "general") for h in ask.aspect_hits) and not _names_an_office(ask)

    def _says_off_topic(self, query: Query, doc: int) -> bool:
        """An off-topic phrase the procedure's own name says ("chữa bệnh" in "khám bệnh, chữa
        bệnh bảo hiểm y tế") does not make the question off-topic."""
        if not query.admin:
            return bool(query.off_topic_spans)  # "xổ số chiều nay đài nào" is no tax question on lottery agents
        names = self.index.name_terms[doc]
        bare = query.bare
        return any(not all(t in names for t in _phrase_terms(tuple(bare[a:b]))) for a, b in query.off_topic_spans)

    def _beyond_off_topic(self, query: Query, confidence: float, story: bool) -> bool:
        """An off-topic phrase ("du lịch", "chữa bệnh") does not sink a question that also names a
        procedure in other words (a combination rule's words reach beyond it: "lương hưu … tiền mặt
        … tài khoản ngân hàng"), or an administrative question that matches very well."""
        def beyond(expansion: tuple[str, ...], span: Span) -> bool:
            if expansion in query.combined:
                return not any(off[0] <= span[0] and span[1] <= off[1] for off in query.off_topic_spans)
            return not any(_overlaps(span, off) for off in query.off_topic_spans)

        if query.strong_off_topic and not query.admin:
            return False  # "xem ngày hợp tuổi để mở tiệm": the ask is the day, not the shop
        if query.strong_off_topic and not story:
            # a short question about the strong cue ("quà Tết cho hộ nghèo"); in a story it may
            # be the scene only ("hôm họp tổ dân phố, công an dặn khai báo vũ khí")
            return confidence >= self.policy.min_confidence_off_topic
        # in a story the procedure must be told at or after the last strong cue: one told before
        # it is the background of the real ask ("ông mới mất … nên hỏa táng hay chôn cất")
        after = max((start for start, _ in query.strong_spans), default=0)
        independent = any(beyond(expansion, span) and span[1] > after for expansion, _, span in query.expansions)
        return independent or (query.admin and confidence >= self.policy.min_confidence_off_topic) or (
            not query.strong_off_topic and self._asks_after_the_scene(query))

    def _asks_after_the_scene(self, query: Query) -> bool:
        """An off-topic scene told in an earlier clause, then a last clause asking an aspect of an
        administrative business in its own words ("thẻ căn cước rớt hồi đi đám giỗ, giờ xin cấp lại cần gì")."""
        clauses = [c for c in _PUNCTUATED.split(query.text) if any(ch.isalpha() for ch in c)]
        if len(clauses) < 2:
            return False
        ask = self._analyse_ask(clauses[-1])
        return ask.asks_an_aspect and not ask.off_topic_spans and ask.says_weighty_admin

    def _example_similarity(self, query: Query, doc: int) -> float:
        """Twins (one name at several levels) share their example questions."""
        if not query.examples:
            return 0.0
        return max(query.examples.get(d, 0.0) for d in self._twins.get(self._twin_keys[doc], (doc,)))

    def _confidence(self, query: Query, doc: int) -> tuple[float, dict]:
        """How well the best procedure explains the question: the share of the question's
        informative words it contains, how much of its name the question says, and how well a
        curated expansion fits its name."""
        index = self.index
        headline = index.headline_terms[doc]
        total = matched = evidence = 0.0
        bare = query.bare
        for i, term in enumerate(bare):
            if query.stop[i] or i in query.cue_positions or term.isdigit():
                continue
            weight = index.idf.get(term, index.max_idf)
            total += weight
            if term in headline:
                matched += weight
                evidence += weight
            elif index.mentions(doc, term):
                matched += 0.4 * weight  # only the document list mentions it
        for a, b in zip(bare, bare[1:]):
            bigram = f"{a}_{b}"
            if bigram in headline:
                evidence += index.idf[bigram]
        coverage = matched / total if total else 0.0
        name_coverage = self._name_coverage(doc, query.credits)
        expansion = self._phrase_fits(query.phrase_pairs, {doc}).get(doc, 0.0)
        literal = max(coverage, 0.85 * name_coverage)
        example = self._example_similarity(query, doc)
        confidence = max(literal, 0.9 * expansion, EXAMPLE_CONFIDENCE * example)
        said = query.words_said
        if not query.expansions and example < EXAMPLE_CUE and (evidence < MIN_EVIDENCE or said < 2 or name_coverage < MIN_NAME_COVERAGE):
            confidence = min(confidence, 0.3)  # one word ("nhà", "nhiều") is no question, nor words the name never says
        signals = {
            "literal": literal,
            "evidence": round(evidence, 2),
            "coverage": round(coverage, 3),
            "name": round(name_coverage, 3),
            "expansion": round(expansion, 3),
            "example": round(example, 3),
            "off_topic": bool(query.off_topic_spans),
            "admin": query.admin,
        }
        return confidence, signals

"""Tone-aware phrase matching, and several phrase lists found in one pass."""
from bot.nlp.phrases import PhraseMatcher
from bot.nlp.text import strip_diacritics

ASPECTS = [(("bao", "lâu"), "time"), (("giấy", "tờ", "gì"), "docs")]
SYNONYMS = [(("sổ", "đỏ"), "giấy chứng nhận"), (("làm", "giấy"), "đăng ký"), (("lâu",), "thời gian")]


def test_a_bare_syllable_matches_its_toned_forms_only_in_loosely_typed_text():
    matcher = PhraseMatcher(SYNONYMS)
    assert [h.payload for h in matcher.find_all(["so", "do", "bi", "mat"], loose=True)] == ["giấy chứng nhận"]
    assert [h.payload for h in matcher.find_all(["sổ", "dỏ"], loose=False)] == ["giấy chứng nhận"]  # đ typed as d
    assert matcher.find_all(["sở", "đỏ"], loose=False) == []  # another syllable
    will = PhraseMatcher([(("di", "chúc"), "chứng thực di chúc")])
    assert will.find_all(["đi", "chúc", "tết"], loose=False) == []  # đ typed is meant: "đi chúc Tết"


def test_in_loosely_typed_text_a_marked_syllable_must_still_agree():
    matcher = PhraseMatcher([(("làm", "thẻ"), "cấp thẻ")])
    assert [h.payload for h in matcher.find_all(["lam", "the"], loose=True)] == ["cấp thẻ"]
    assert matcher.find_all(["lam", "thế", "nào"], loose=True) == []  # "the nao" was written out as "thế nào"


def test_find_kinds_gives_per_kind_what_separate_matchers_give():
    tokens = ["làm", "giấy", "tơ", "gì", "sổ", "đỏ", "bao", "lâu"]
    bares = [strip_diacritics(t) for t in tokens]
    together = PhraseMatcher([(p, (0, v)) for p, v in ASPECTS] + [(p, (1, v)) for p, v in SYNONYMS])
    found = together.find_kinds(tokens, (None, False), bares)
    assert found[0] == PhraseMatcher(ASPECTS).find_all(tokens, None, bares)  # any tone: "giấy tơ gì"
    assert found[1] == PhraseMatcher(SYNONYMS).find_all(tokens, False, bares)
    assert [h.payload for h in found[0]] == ["docs", "time"]
    assert [h.payload for h in found[1]] == ["đăng ký", "giấy chứng nhận", "thời gian"]

import pytest

from bot.nlp.lexicon import LexiconError, default_lexicon, parse_lexicon
from bot.nlp.phrases import PhraseMatcher


def test_shipped_lexicon_parses_and_has_every_section():
    lex = default_lexicon()
    assert lex.abbreviations and lex.fillers and lex.synonyms and lex.combinations
    assert lex.offtopic_cues and lex.admin_cues and lex.function_words and lex.special_groups and lex.actions
    assert all(lex.aspect_cues[a] for a in lex.aspect_cues)


def test_parse_sections():
    lex = parse_lexicon(
        "[viet_tat]\nđk = đăng ký\n[dong_nghia]\nsổ đỏ | bìa đỏ => giấy chứng nhận\n"
        "[ket_hop]\nsổ đỏ + ghi sai => đính chính\n[khia_canh:fee]\n~phí\n[ngoai_pham_vi]\ngiá vàng\n!thi nấu ăn\n"
        "[hanh_chinh]\nkhai\n!khai trương\n"
    )
    assert lex.abbreviations[("đk",)] == ("đăng", "kí")
    assert (("bìa", "đỏ"), ("giấy", "chứng", "nhận")) in lex.synonyms
    assert lex.combinations == [([[("sổ", "đỏ")], [("ghi", "sai")]], ("đính", "chính"))]
    assert ("phí",) in lex.weak_aspect_cues
    assert lex.offtopic_cues == [("giá", "vàng"), ("thi", "nấu", "ăn")]
    assert lex.strong_offtopic_cues == {("thi", "nấu", "ăn")}
    assert lex.admin_cues == [("khai",)] and lex.not_admin == [("khai", "trương")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("[viet_tat]\nđk đăng ký\n", "dòng 2: thiếu '='"),
        ("[dong_nghia]\nsổ đỏ giấy chứng nhận\n", "dòng 2: thiếu '=>'"),
        ("[ket_hop]\nsổ đỏ => x\n", "dòng 2: kết hợp"),
        ("[dong_nghia]\nsổ đỏ + mất => x\n", "dòng 2: '\\+' chỉ dùng trong mục kết hợp"),
        ("[khia_canh:weather]\nmưa\n", "dòng 1: khía cạnh không biết"),
        ("ngoài mục\n", "dòng 1: nằm ngoài mục"),
        ("[dong_nghia]\n !!! => x\n", "dòng 2: cụm từ rỗng"),
    ],
)
def test_parse_errors_name_the_line(text, message):
    with pytest.raises(LexiconError, match=message):
        parse_lexicon(text)


def test_phrase_matcher_tone_rules():
    m = PhraseMatcher([(("sổ", "đỏ"), "land"), (("bão",), "storm")])
    # two syllables match on the bare form even with a wrong tone
    assert [h.payload for h in m.find_all(["cấp", "sổ", "dỏ"], loose=False)] == ["land"]
    # a lone bare syllable matches a toned one only when the whole message is typed loosely
    assert m.find_all(["bao", "lâu"], loose=False) == []
    assert [h.payload for h in m.find_all(["bao", "lau"], loose=True)] == ["storm"]

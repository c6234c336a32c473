import time
from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import given, settings, strategies as st

from bot.dossiers.code import DossierCode, find_dossier_codes, parse_dossier_code

EXAMPLE = "000.00.29.H56-250315-0007"
SEPARATORS = [".", "-", " ", "", " - ", "_", "/"]
WORDS = ["cho", "em", "hỏi", "hồ", "sơ", "tới", "đâu", "rồi", "ạ", "mã", "của", "tôi", "là", "nhé", "ơi", "xã", "?", "!", ","]
QR_URL = "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?maHoSo="


@st.composite
def codes(draw) -> DossierCode:
    unit = "{:03d}.{:02d}.{:02d}.{}{:02d}".format(
        draw(st.integers(0, 999)), draw(st.integers(0, 99)), draw(st.integers(0, 99)),
        draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), draw(st.integers(0, 99)),
    )
    received = draw(st.dates(date(2015, 1, 1), date(2035, 12, 31)))
    return DossierCode(unit, received, draw(st.integers(1, 9999)))


@st.composite
def typed(draw, code: DossierCode) -> str:
    """The code as somebody might type it: any separator in each place, any case of the letter."""
    v, z, y, m = code.unit.split(".")
    m = draw(st.sampled_from([m, m.lower()]))
    parts = [v, z, y, m, f"{code.received:%y%m%d}", f"{code.sequence:04d}"]
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=5, max_size=5))
    return parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:]))


@st.composite
def in_context(draw, bare: str) -> str:
    """The typed code alone, in a sentence, on a receipt line, or in a (percent-encoded) QR URL."""
    words = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
    kind = draw(st.sampled_from(["bare", "sentence", "receipt", "url", "encoded url", "qr text"]))
    if kind == "sentence":
        return f"{draw(words)} {bare} {draw(words)}"
    if kind == "receipt":
        return f"Mã hồ sơ: {bare}"
    if kind == "url":
        return QR_URL + bare.replace(" ", "%20")
    if kind == "encoded url":
        return QR_URL + quote(bare, safe="").replace(".", "%2E").replace("-", "%2D").replace("_", "%5F")
    if kind == "qr text":
        return f"UBND XÃ AN BÌNH\nGIẤY TIẾP NHẬN HỒ SƠ\nMã hồ sơ: {bare}\nNgày hẹn trả: 20/03/2025"
    return bare


@given(st.data())
def test_a_typed_code_is_found_and_parsed(data):
    code = data.draw(codes())
    bare = data.draw(typed(code))
    text = data.draw(in_context(bare))
    assert [c.canonical for c in find_dossier_codes(text)] == [code.canonical]
    assert parse_dossier_code(bare) == code
    assert parse_dossier_code(f"  {bare}\n") == code


@given(st.lists(codes(), min_size=1, max_size=4), st.data())
def test_several_codes_come_back_in_order_without_repeats(codes_, data):
    text = " và ".join(data.draw(typed(c)) for c in codes_ + codes_[:1])
    assert find_dossier_codes(text) == list(dict.fromkeys(codes_))


BROAD = st.text(
    st.sampled_from(list("0123456789 .-_/%:\n\tAaGHhZzđĐơưạốỹ😀\u00a0\u200b\x00"))
    | st.characters(),
    max_size=300,
)


def _subsequence(needle: str, haystack: str) -> bool:
    chars = iter(haystack.upper())
    return all(ch in chars for ch in needle)


@settings(max_examples=300)
@given(BROAD)
def test_codes_found_in_random_text_are_really_there(text):
    for code in find_dossier_codes(text):
        assert parse_dossier_code(code.canonical) == code
        assert _subsequence("".join(ch for ch in code.canonical if ch.isalnum()), text)
    parse_dossier_code(text)


NO_ASCII_LETTER = list("0123456789 .-_/:,%\n") + ["đ", "ơ", "ư", "ạ", "hồ sơ ", "số ", "ngày ", "%2D", "%2E"]


@given(st.lists(st.sampled_from(NO_ASCII_LETTER)).map("".join))
def test_no_code_without_an_ascii_letter(text):
    assert find_dossier_codes(text) == []


@given(st.text(st.sampled_from("0123456789")))
def test_no_code_in_digits_only(digits):
    assert find_dossier_codes(digits) == [] and parse_dossier_code(digits) is None


def test_the_domain_example():
    code = parse_dossier_code(EXAMPLE)
    assert code == DossierCode("000.00.29.H56", date(2025, 3, 15), 7)
    assert str(code) == code.canonical == EXAMPLE


@pytest.mark.parametrize(
    "text",
    [
        "000.00.29.h56-250315-0007",
        "000 00 29 H56 250315 0007",
        "000.00.29.H56 - 250315 - 0007",
        "0000029H56-250315-0007",
        "0000029H562503150007",
        "000_00_29_H56_250315_0007",
        "000/00/29/H56/250315/0007",
        "000.00.29.H56–250315–0007",  # en dash from a phone keyboard
        "000%2E00%2E29%2EH56%2D250315%2D0007",
    ],
)
def test_typing_variants_parse(text):
    assert str(parse_dossier_code(text)) == EXAMPLE


@pytest.mark.parametrize(
    "text",
    [
        "cho em hỏi hồ sơ 000.00.29.h56-250315-0007 tới đâu rồi ạ",
        "Mã hồ sơ: 000.00.29.H56-250315-0007",
        QR_URL + EXAMPLE,
        QR_URL + "000.00.29.H56%2D250315%2D0007",
        "https://dichvucong.gov.vn/tra-cuu?maHoSo%3D000%2E00%2E29%2EH56%2D250315%2D0007&x=1",
        "UBND XÃ AN BÌNH\r\nMã hồ sơ:\t000.00.29.H56-250315-0007\r\nNgày hẹn trả: 20/03/2025",
        "(000.00.29.H56-250315-0007).",
    ],
)
def test_codes_in_messages_and_qr_text(text):
    assert [str(c) for c in find_dossier_codes(text)] == [EXAMPLE]
    assert parse_dossier_code(text) is None or text == EXAMPLE


@pytest.mark.parametrize(
    "text",
    [
        "000.00.29.H56-250230-0007",  # 30 February
        "000.00.29.H56-250431-0007",  # 31 April
        "000.00.29.H56-230229-0007",  # 2023 is not a leap year
        "000.00.29.H56-251315-0007",  # month 13
        "000.00.29.H56-250300-0007",  # day 0
        "000.00.29.H56-250315-0000",  # sequence 0000
        "000.00.29.556-250315-0007",  # no letter
        "000.00.29.HH56-250315-0007",
        "000.00.29.H5-250315-0007",
        "1000.00.29.H56-250315-0007",  # inside longer digit runs
        "000.00.29.H56-250315-00071",
        "99000000290000029H56250315000712345",
        "x000.00.29.H56-250315-0007",  # glued to a word
        "000.00.29.H56-250315-0007a",
        "000.00.29.H56\n250315-0007",  # across a line break
        "0912345678",  # phone number
        "+84 912 345 678",
        "001234567890",  # CCCD number
        "1234567890123456789012345",
        "",
    ],
)
def test_not_codes(text):
    assert find_dossier_codes(text) == [] and parse_dossier_code(text) is None


def test_two_codes_in_one_message():
    text = "hs 000.00.29.H56-250315-0007 với 000.00.29.g01 240229 0012, cả 000 00 29 h56 250315 0007 nữa"
    assert [str(c) for c in find_dossier_codes(text)] == [EXAMPLE, "000.00.29.G01-240229-0012"]


def test_only_punctuation_escapes_are_decoded():
    """What is found is literally in the text: an escaped letter or digit is not decoded."""
    assert find_dossier_codes("000%2E00%2E29%2E%4856%2D250315%2D0007") == []


def test_a_bad_code_does_not_hide_a_good_one():
    assert [str(c) for c in find_dossier_codes("000.00.29.H56-250230-0007 000.00.29.H56-250315-0007")] == [EXAMPLE]


@pytest.mark.parametrize(
    "unit, received, sequence",
    [("000.00.29.h56", date(2025, 3, 15), 7), ("00.00.29.H56", date(2025, 3, 15), 7),
     ("000.00.29.H56", date(2025, 3, 15), 0), ("000.00.29.H56", date(2025, 3, 15), 10000),
     ("000.00.29.H56", date(1999, 3, 15), 7)],
)
def test_a_dossier_code_must_be_valid(unit, received, sequence):
    with pytest.raises(ValueError):
        DossierCode(unit, received, sequence)


ADVERSARIAL = [
    "0" * 20_000,
    "000" + " " * 19_997,
    "000 " * 5_000,
    "0 " * 10_000,
    ("000" + " " * 97) * 200,
    ("000 00 29 " + " " * 90) * 200,
    "000.00.29.H56-250230-0007 " * 770,
    "1 2 34 567 8 9" * 1_500,
    "-. _/" * 4_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_input_is_fast(text):
    assert len(text) >= 20_000 - 100
    start = time.perf_counter()
    find_dossier_codes(text)
    parse_dossier_code(text)
    assert time.perf_counter() - start < 0.2


@pytest.mark.parametrize(
    "text",
    ["😀" * 20_000, "\x00\x01\x1b\x7f" * 5_000, "\ud800%2D\udfff%", "Ελληνικά 中文 العربية " * 900, "%" * 20_000, "%2" * 7_000],
)
def test_never_raises(text):
    assert find_dossier_codes(text) == []
    assert parse_dossier_code(text) is None

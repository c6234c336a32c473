"""Typo repair: pure pieces on small vocabularies, then the matcher on slips citizens make."""
import pytest

from bot.matching.spelling import MarkedRepair, PairRepair, SpellingRepair

from tests.matching.test_matcher import top

COUNTS = {"được": 100, "đọc": 10, "sinh": 50, "định": 80, "giấy": 60, "giá": 40, "gia": 90, "kết": 30, "kê": 5, "chứng": 20, "người": 70, "khôn": 60, "không": 90}


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("sịnh", "sinh"),  # wrong tone: the same letters win over a more frequent one-letter change (định)
        ("kêt", "kết"),  # tone left out
        ("giáy", "giấy"),  # circumflex dropped: half a letter away, "giá" a whole letter
        ("đuọc", "được"),  # horns left out, not "đọc"
        ("chứg", "chứng"),
        ("ngừoi", "người"),  # marks on the wrong vowels
        ("khôgn", "không"),  # a swap costs one keystroke like the letter left out of "khôn"; then the more frequent
    ],
)
def test_marked_repair(typed, meant):
    assert MarkedRepair(COUNTS, valid=[]).repair(typed) == meant


def test_marked_repair_leaves_real_syllables_alone():
    repair = MarkedRepair(COUNTS, valid=["tú", "giây"])
    assert repair.repair("tú") is None and repair.repair("giây") is None and repair.repair("sinh") is None


def test_marked_repair_splits_two_syllables_typed_without_a_space():
    repair = MarkedRepair(COUNTS, valid=["đăng"], words=[("đăng", "kí"), ("giấy", "tờ")])
    assert repair.split("đăngký") == ("đăng", "kí")  # the tone the one-syllable spelling moved goes back
    assert repair.split("giấytờ") is None  # two tones: not one misplaced syllable
    assert repair.split("đăng") is None and repair.split("đănggì") is None  # a syllable; no word


def test_marked_repair_drops_a_key_pressed_twice():
    repair = MarkedRepair({"kí": 5, "sản": 3, "sạn": 9, "kì": 9}, valid=[])
    assert repair.repair("kýy") == "kí" and repair.repair("sảnn") == "sản"  # not the commoner one-letter neighbours


def test_pair_repair_mends_a_wrong_mark_by_its_neighbour():
    repair = PairRepair({("đứng", "tên"): 3, ("chuyển", "hộ"): 2, ("hộ", "khẩu"): 5}, known=[])
    assert repair.repair(["sổ", "đừng", "tên"]) == ["sổ", "đứng", "tên"]
    assert repair.repair(["chuyến", "hộ", "khẩu"]) == ["chuyển", "hộ", "khẩu"]


def test_pair_repair_leaves_a_syllable_with_both_its_vowel_mark_and_tone_other():
    repair = PairRepair({("ông", "mất"): 3, ("đứng", "tên"): 2}, known=[])
    assert repair.repair(["đàn", "ông", "mặt", "tròn"]) == ["đàn", "ông", "mặt", "tròn"]
    assert repair.repair(["sổ", "đừng", "tên"]) == ["sổ", "đứng", "tên"]  # one tone: mended


def test_pair_repair_leaves_a_syllable_citizens_write_more_often_than_the_mended_one():
    repair = PairRepair({("nhà", "ống"): 3, ("đứng", "tên"): 2}, known=[])
    repair.usage = {"ông": 40, "ống": 2, "đừng": 1, "đứng": 30}
    assert repair.repair(["nhà", "ông", "tư"]) == ["nhà", "ông", "tư"]  # "nhà ông Tư", not a tube house
    assert repair.repair(["sổ", "đừng", "tên"]) == ["sổ", "đứng", "tên"]
    for words in (["giấy", "đó"], ["hai", "đứa", "còn"]):  # words that point or join are typed as meant
        assert PairRepair({("giấy", "đỏ"): 5, ("đứa", "con"): 5}, known=[]).repair(words) == words


def test_pair_repair_mends_consonants_many_speakers_write_alike():
    repair = PairRepair({("hết", "hạn"): 4, ("xác", "nhận"): 9, ("trả", "lại"): 2}, known=[("hạng", "mục")])
    assert repair.repair(["tạm", "trú", "hết", "hạng"]) == ["tạm", "trú", "hết", "hạn"]  # final ng / n
    assert repair.repair(["giấy", "sác", "nhận"]) == ["giấy", "xác", "nhận"]  # s / x
    assert repair.repair(["chả", "lại"]) == ["trả", "lại"]  # ch / tr
    assert repair.repair(["hạng", "mục"]) == ["hạng", "mục"]  # a known pair stays
    assert repair.repair(["hết", "hàng"]) == ["hết", "hàng"]  # another tone is another word


def test_pair_repair_can_be_limited_to_some_positions():
    repair = PairRepair({("làm", "mất"): 5, ("đứng", "tên"): 3}, known=[])
    assert repair.repair(["làm", "mấc", "đừng", "tên"], only={1}) == ["làm", "mất", "đừng", "tên"]


def test_off_topic_phrases_are_not_mended_away(matcher):
    # "đồ gì" made no known pair and became "độ gì"; off-topic pairs count as known
    assert "đồ" in matcher.analyse("đi đăng ký kết hôn thì nên mặc đồ gì chụp hình cho đẹp").content


def test_pair_repair_keeps_known_pairs_and_bare_words():
    repair = PairRepair({("đứng", "tên"): 3, ("xã", "dừng"): 9}, known=[("đứng", "ra")])
    assert repair.repair(["đừng", "tên"]) == ["đứng", "tên"]
    assert repair.repair(["xã", "đứng", "ra"]) == ["xã", "đứng", "ra"]  # "đứng ra" is a word
    assert repair.repair(["dung", "ten"]) == ["dung", "ten"]  # typed bare: matched loosely anyway


def test_pair_repair_restores_a_dropped_or_swapped_letter_from_the_neighbour():
    repair = PairRepair({("căn", "cước"): 9, ("giấy", "tờ"): 9, ("khai", "thuế"): 9, ("khai", "tử"): 1}, known=[])
    assert repair.mend_by_neighbour(["thẻ", "căn", "cưc"], {2}) == ["thẻ", "căn", "cước"]
    assert repair.mend_by_neighbour(["giấ", "tờ"], {0}) == ["giấy", "tờ"]
    assert PairRepair({("tách", "thửa"): 3}, known=[]).mend_by_neighbour(["tách", "thaử"], {1}) == ["tách", "thửa"]  # swapped
    # another tone of the same letters already makes a known pair: a tone slip, not a missing letter
    assert repair.mend_by_neighbour(["khai", "tữ"], {1}) == ["khai", "tữ"]
    assert repair.mend_by_neighbour(["căn", "cưc"], set()) == ["căn", "cưc"]  # only the positions given


@pytest.mark.parametrize(
    "question, code",
    [
        ("làm giấy khai sịnh cho bé tốn bao nhiêu tiền", "1.001193"),
        ("làm thẻ căn cưc cho con 10 tuổi", "1.014062"),  # a letter dropped: "cưc" is not cực here
        ("nhập khuẩ cho con về nhà nội", "1.004222"),  # letters swapped
        ("đăng ký thê chấp sổ đỏ vay ngân hàng nộp ở đâu", "1.011441"),
        ("chuyến hộ khẩu về nhà chồng", "1.004222"),
        ("giấy chững tử", "1.000656"),
        ("làm mấc bằng lái ô tô rồi xin cấp lại ở đâu", "3.000348"),  # "mấc" read by its neighbour: mất, not mắc
    ],
)
def test_matcher_reads_through_mark_slips(matcher, question, code):
    assert top(matcher.match(question)) == code


def test_off_topic_words_inside_the_procedure_name_do_not_reject(matcher):
    # "chữa bệnh" is off-topic on its own, but here it is the procedure's own name
    assert top(matcher.match("khám chữa bệnh bảo hiểm y tế trái tuyến có được hưởng không")) == "1.014193"
    assert matcher.match("đi chữa bệnh ở bệnh viện nào tốt").status == "none"


def test_spelling_repair_takes_the_most_frequent_neighbour_in_any_run():
    # "kihn" is one deletion from "kinh" (via "kin") and from "khan" (via "khn"); the set of
    # deletions comes in a different order in every process, the answer must not
    repair = SpellingRepair({"kinh": 50, "khan": 5}, valid=[])
    assert repair.repair("kihn") == ("kinh",)


def test_spelling_repair_prefers_two_letters_typed_the_other_way_round():
    # "mnag" is one deletion from "mang" and from the commoner "nang": the swap is what was typed
    repair = SpellingRepair({"nang": 50, "mang": 5}, valid=[])
    assert repair.repair("mnag") == ("mang",)


def test_pair_repair_reaches_a_pair_an_off_topic_phrase_says_only_by_its_marks():
    targets = {("chuyển", "khoản"): 5}
    sounded = PairRepair(targets, known=[])
    unsounded = PairRepair(targets, known=[], unsounded=targets)
    # "chuyển khoảng nửa héc-ta": the ending -ng is no slip for -n here
    assert sounded.repair(["chuyển", "khoảng"]) == ["chuyển", "khoản"]
    assert unsounded.repair(["chuyển", "khoảng"]) == ["chuyển", "khoảng"]
    assert unsounded.repair(["chuyển", "khoàn"]) == ["chuyển", "khoản"]  # a wrong mark is still mended


def test_a_surname_is_not_mended_into_a_word(matcher):
    assert "nguyễn" in matcher.analyse("con gái tôi tên Nguyễn Thị Lượm, muốn đổi tên").content

"""The bank of example questions per procedure (câu hỏi mẫu): its file format, the similarity
index, and what it changes in the matcher's answers."""
import math
import os
import re
import time

import numpy as np
import pytest

from bot.catalogue.schema import Procedure
from bot.matching.examples import Example, ExampleError, ExampleIndex, cached_reading, load_examples, parse_examples
from bot.matching.evaluate import read_questions
from bot.matching.matcher import Matcher
from bot.nlp.text import strip_diacritics
from bot.paths import DEV_QUESTIONS, EXAMPLES_DIR, PROJECT_ROOT


def procedure(code, name, field="Hộ tịch"):
    return Procedure(code=code, name=name, field=field, levels=["commune"], type="STANDARD", results=[name], sources=["test"])


CATALOGUE = [
    procedure("1.000001", "Đăng ký khai sinh"),
    procedure("1.000002", "Đăng ký kết hôn"),
    procedure("1.000003", "Cấp giấy xác nhận tình trạng hôn nhân"),
]


def test_parse_reads_code_and_question_and_skips_comments():
    text = "# 1.000001 Đăng ký khai sinh\n\n1.000001 | Vợ em mới sinh, làm giấy cho cháu ở đâu?\n  1.000002|cưới xong làm giấy\n"
    assert parse_examples(text) == [
        Example("1.000001", "Vợ em mới sinh, làm giấy cho cháu ở đâu?"),
        Example("1.000002", "cưới xong làm giấy"),
    ]


@pytest.mark.parametrize("line", ["1.000001 câu hỏi không có dấu gạch", "khai sinh | câu hỏi", "1.000001 |   "])
def test_a_malformed_line_names_its_line(line):
    with pytest.raises(ExampleError, match="dòng 2"):
        parse_examples(f"# ok\n{line}\n")


def test_load_names_the_file_of_a_bad_line_and_drops_duplicates(tmp_path):
    (tmp_path / "10_a.txt").write_text("1.000001 | sinh con\n1.000001 | sinh con\n", encoding="utf-8")
    assert load_examples(tmp_path) == [Example("1.000001", "sinh con")]
    (tmp_path / "20_b.txt").write_text("sai\n", encoding="utf-8")
    with pytest.raises(ExampleError, match="20_b.txt: dòng 1"):
        load_examples(tmp_path)


def test_every_shipped_example_names_a_citizen_facing_procedure(shipped_procedures):
    by_code = {p.code: p for p in shipped_procedures}
    examples = load_examples(EXAMPLES_DIR)
    assert len(examples) >= 2000
    wrong = [e for e in examples if e.code not in by_code or not by_code[e.code].citizen_facing]
    assert wrong == []


def test_support_sums_the_squares_of_a_procedures_closest_examples():
    index = ExampleIndex([(0, {"sinh": 1.0, "con": 1.0}), (0, {"sinh": 1.0}), (1, {"cuoi": 1.0, "con": 1.0})])
    found = index.search({"sinh": 1.0})[0]
    # cosine 1 with the one-word example, 1/√2 with "sinh con" (both words equally rare)
    assert found[0] == pytest.approx(math.sqrt(1.0 + 0.5))
    assert 1 not in found
    assert index.search({"xyz": 1.0})[0] == {}
    assert index.search({"sinh": 1.0, "xyz": 1.0})[0][0] < found[0]  # a word no example has: less alike


def test_several_close_examples_outweigh_one_closer_example():
    index = ExampleIndex([
        (0, {"sinh": 1.0, "con": 1.0}),
        (1, {"sinh": 1.0, "xe": 1.0, "may": 1.0}),
        (1, {"sinh": 1.0, "dat": 1.0, "o": 1.0}),
        (1, {"sinh": 1.0, "nha": 1.0, "moi": 1.0}),
    ])
    best_one = index.search({"sinh": 1.0}, per_procedure=1)[0]
    assert best_one[0] > best_one[1]
    supported = index.search({"sinh": 1.0})[0]
    assert supported[1] > supported[0]


def test_a_profile_knows_every_word_its_examples_use_between_them():
    index = ExampleIndex([
        (0, {"tach": 1.0, "vuon": 1.0}),
        (0, {"so": 1.0, "rieng": 1.0}),
        (1, {"tach": 1.0, "ho": 1.0}),
    ])
    profiles = index.search({"tach": 1.0, "so": 1.0, "rieng": 1.0})[1]
    assert profiles[0] > profiles[1] > 0
    assert index.search({"xyz": 1.0})[1] is None


def test_the_procedure_the_bank_favours_is_offered_even_when_its_examples_are_far(matcher):
    """Split a plot: no example is close to this story (support under the pool threshold), yet
    the procedure its examples favour is among the first three."""
    story = ("Nhà tôi có mảnh vườn năm trăm mét vuông, giờ muốn cắt một phần cho con trai út ra làm nhà "
             "riêng, sổ cũng muốn làm riêng cho nó. Việc chia mảnh đất ra làm hai thì lên đâu làm?")
    result = matcher.match(story)
    assert result.status != "none"
    assert "1.012784" in [c.code for c in result.candidates[:3]]


def test_a_long_administrative_story_is_answered_though_its_words_are_not_the_names(matcher):
    story = ("Anh rể tôi mất vì tai nạn, chị tôi thì bỏ đi biệt tích, để lại hai đứa nhỏ cho tôi nuôi. "
             "Trường học với ngân hàng cứ hỏi ai là người đứng ra chịu trách nhiệm cho tụi nhỏ. Tôi cần "
             "làm giấy gì ở xã để được đứng ra thay mặt tụi nhỏ?")
    result = matcher.match(story)
    assert result.status != "none"
    assert result.confidence < 0.34  # the plain threshold would have refused it
    assert result.candidates[0].code == "1.004837"  # đăng ký giám hộ


@pytest.mark.parametrize("set_name, question_id", [("fresh5", "p115"), ("fresh5", "p072"), ("fresh8", "q062")])
def test_off_topic_words_inside_a_long_story_do_not_reject_it(matcher, set_name, question_id):
    """"lấy tiền chữa bệnh cho vợ", "đi du lịch Thái Lan": part of the tale, not the question."""
    question = next(q for q in read_questions(PROJECT_ROOT / f"benchmarks/data/{set_name}_questions.jsonl")
                    if q.id == question_id)
    result = matcher.match(question.text)
    assert result.status != "none"
    assert result.signals["off_topic"]
    assert result.candidates[0].code in question.gold


def test_an_example_finds_a_procedure_its_name_does_not_say():
    question = "đi xuất khẩu lao động họ bắt nộp tờ khẳng định còn một mình"
    assert Matcher(CATALOGUE, examples=[]).match(question).status == "none"
    with_bank = Matcher(CATALOGUE, examples=[
        Example("1.000003", "công ty xuất khẩu bắt nộp tờ khẳng định mình còn một mình"),
        Example("1.000003", "sang Hàn làm việc họ đòi tờ khẳng định còn một mình"),
        Example("1.000002", "hai đứa định cưới thì ra xã làm giấy gì"),
    ])
    result = with_bank.match(question)
    assert result.status == "answer"
    assert result.candidates[0].code == "1.000003"
    assert result.signals["example"] >= 0.5


def test_examples_of_procedures_not_served_are_ignored():
    matcher = Matcher(CATALOGUE, examples=[Example("9.999999", "ngân hàng đòi giấy độc thân")])
    assert len(matcher.examples) == 0


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", strip_diacritics(text.lower())))


def test_the_bank_is_not_a_copy_of_the_labelled_questions():
    """Examples were written without seeing any evaluation question; none is close to one
    (accent-folded word Jaccard, the writers' own check)."""
    bank = [_words(e.text) for e in load_examples(EXAMPLES_DIR)]
    vocabulary: dict[str, int] = {}
    postings: list[list[int]] = []
    for number, words in enumerate(bank):
        for word in words:
            tid = vocabulary.setdefault(word, len(vocabulary))
            if tid == len(postings):
                postings.append([])
            postings[tid].append(number)
    arrays = [np.array(p, dtype=np.int64) for p in postings]
    sizes = np.array([len(w) for w in bank])
    labelled = [DEV_QUESTIONS] if DEV_QUESTIONS.exists() else []
    labelled += sorted((PROJECT_ROOT / "benchmarks" / "data").glob("*_questions.jsonl"))
    closest = 0.0
    for path in labelled:
        for question in read_questions(path):
            words = _words(question.text)
            found = [arrays[vocabulary[w]] for w in words if w in vocabulary]
            if len(words) < 5 or not found:
                continue
            shared = np.bincount(np.concatenate(found), minlength=len(bank))
            closest = max(closest, float((shared / (len(words) + sizes - shared)).max()))
    assert closest < 0.5


def test_a_cached_reading_is_read_once_then_reused(tmp_path):
    calls = []

    def read():
        calls.append(1)
        return [{"sinh": 1.0, "sinh_con": 0.25}]

    assert cached_reading("k1", read, tmp_path) == [{"sinh": 1.0, "sinh_con": 0.25}]
    assert cached_reading("k1", read, tmp_path) == [{"sinh": 1.0, "sinh_con": 0.25}]
    assert len(calls) == 1
    for n, key in enumerate(("k1", "k2", "k3", "k4")):  # other keys: the three most recent files stay
        cached_reading(key, read, tmp_path)
        os.utime(tmp_path / f"{key}.json", (time.time() - 100 + n, time.time() - 100 + n))
    cached_reading("k5", read, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k3.json", "k4.json", "k5.json"]


def test_a_broken_or_unwritable_cache_only_costs_time(tmp_path):
    (tmp_path / "k.json").write_text("{not json", encoding="utf-8")
    assert cached_reading("k", lambda: [{"a": 1.0}], tmp_path) == [{"a": 1.0}]
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    assert cached_reading("k", lambda: [{"b": 1.0}], blocked / "sub") == [{"b": 1.0}]


def test_the_shipped_bank_reads_the_same_from_the_cache(shipped_procedures, matcher):
    again = Matcher(shipped_procedures)  # the session's matcher stored the cache
    question = "ngân hàng đòi giấy chứng minh còn độc thân mới cho vay"
    assert again.examples.search(again.analyse(question).own_terms)[0] == matcher.examples.search(matcher.analyse(question).own_terms)[0]

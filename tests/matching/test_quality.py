"""Quality floors: the bar of issue 2 on the dev set, and regression guards on our own sets."""
from pathlib import Path

import pytest

from bot.matching.evaluate import evaluate, read_questions
from bot.paths import DEV_QUESTIONS, PROJECT_ROOT

_DATA = PROJECT_ROOT / "benchmarks" / "data"
OFF_TOPIC_SETS = sorted(_DATA.glob("offtopic*_questions.jsonl"))  # only messages the bot must decline
OWN_SETS = sorted(set(_DATA.glob("*_questions.jsonl")) - set(OFF_TOPIC_SETS))


def _report(matcher, paths):
    questions = [q for path in paths for q in read_questions(Path(path))]
    return evaluate(questions, matcher.match).as_dict()


@pytest.mark.skipif(not DEV_QUESTIONS.exists(), reason=f"{DEV_QUESTIONS} not present")
def test_dev_set_meets_the_bar(matcher):
    report = _report(matcher, [DEV_QUESTIONS])
    overall = report["overall"]
    assert overall["hit@1"] >= 0.90
    assert overall["hit@3"] >= 0.97
    assert overall["off_topic_rejected"] >= 0.90
    assert overall["in_scope_rejected"] <= 0.05
    assert overall["aspect_accuracy"] >= 0.85
    stripped = report["same_questions_diacritics_removed"]
    assert overall["hit@1"] - stripped["hit@1"] <= 0.05


def test_own_question_sets_do_not_regress(matcher):
    """Floors a little under the measured figures (see README) on every hand-written set in benchmarks/data."""
    report = _report(matcher, OWN_SETS)
    overall = report["overall"]
    # 15,364 questions in 90 sets: hit@1 0.948, hit@3 0.987, off-topic 0.982, in-scope rejected 0.0056, aspect
    # 0.910 (end of session 20; new sets are written to be far from the others and pull every figure down)
    assert overall["hit@1"] >= 0.945
    assert overall["hit@3"] >= 0.985
    assert overall["off_topic_rejected"] >= 0.965
    assert overall["in_scope_rejected"] <= 0.006
    assert overall["aspect_accuracy"] >= 0.90
    with_marks, without = report["typed_with_diacritics"], report["typed_without_diacritics"]
    assert abs(with_marks["hit@1"] - without["hit@1"]) <= 0.08


def test_off_topic_sets_are_declined(matcher):
    """Sets of off-topic messages only (4,450 in 29 sets; 0.955 measured): everyday chat and near misses,
    administrative-sounding ones written to avoid every lexicon phrase, and realistic mixes with stories
    that mention a procedure in passing (see their READMEs)."""
    report = _report(matcher, OFF_TOPIC_SETS)
    assert report["overall"]["off_topic_rejected"] >= 0.925

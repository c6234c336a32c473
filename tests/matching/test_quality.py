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
    # 5,864 questions in 34 sets: hit@1 0.951, hit@3 0.992, off-topic 0.984, aspect 0.902; hit@1 and
    # off-topic floors were 0.95 and 0.98 on 28 sets before the harder fresh28–33 joined (session 10)
    assert overall["hit@1"] >= 0.945
    assert overall["hit@3"] >= 0.99
    assert overall["off_topic_rejected"] >= 0.975
    assert overall["in_scope_rejected"] <= 0.005
    assert overall["aspect_accuracy"] >= 0.89
    with_marks, without = report["typed_with_diacritics"], report["typed_without_diacritics"]
    assert abs(with_marks["hit@1"] - without["hit@1"]) <= 0.08


def test_off_topic_sets_are_declined(matcher):
    """Sets of off-topic messages only (550; 0.851 measured): everyday chat and near misses (0.98),
    administrative-sounding ones written to avoid every lexicon phrase (0.80), and a realistic mix with
    stories that mention a procedure in passing (0.75; see their READMEs)."""
    report = _report(matcher, OFF_TOPIC_SETS)
    assert report["overall"]["off_topic_rejected"] >= 0.84

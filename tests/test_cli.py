"""The command-line contract (`motcua match --jsonl`, `ask`, `eval`, `chat`), run as subprocesses."""
import json
import os
import subprocess
import sys

import pytest

from bot.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}", "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("PROVINCE", None)
    return home, env


def run(cli_env, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    home, env = cli_env
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, cwd=home, env=env, timeout=300
    )


def test_match_jsonl_contract(cli_env):
    lines = [
        json.dumps({"id": 1, "text": "lam giay khai sinh cho con can giay to gi"}).encode(),
        json.dumps({"id": "b", "text": "Hôm nay trời có mưa không"}, ensure_ascii=False).encode(),
        b"not json",
        b"",
        json.dumps({"id": 3}).encode(),
        b"\xff\xfe invalid utf-8",
        json.dumps({"id": 4, "text": "x" * 20000}).encode(),
        json.dumps({"id": 5, "text": "\U0001f600\U0001f64f"}).encode(),
        json.dumps({"id": 6, "text": "\u0001\u0002 \u001b[31m"}).encode(),
        json.dumps({"id": 7, "text": "中文问题"}, ensure_ascii=False).encode(),
        b"[1, 2]",
        json.dumps({"id": 8, "text": "thủ tục 1.004222"}, ensure_ascii=False).encode(),
    ]
    done = run(cli_env, "match", "--jsonl", stdin=b"\n".join(lines) + b"\n")
    assert done.returncode == 0, done.stderr.decode()
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines)  # one output line per input line, in order
    first = out[0]
    assert first["id"] == 1 and first["status"] == "answer" and first["aspect"] == "docs"
    assert first["candidates"][0]["code"] == "1.001193" and len(first["candidates"]) <= 5
    assert set(first["candidates"][0]) == {"code", "name", "score"}
    assert out[1] == {"id": "b", "status": "none", "aspect": "general", "candidates": []} or out[1]["status"] == "none"
    for bad in (2, 3, 4, 5, 10):
        assert "error" in out[bad]
    assert out[4]["id"] == 3
    for odd in (6, 7, 8, 9):
        assert out[odd]["status"] in {"answer", "clarify", "none"}
    assert out[11]["candidates"][0]["code"] == "1.004222"


def test_ask_prints_the_answer_card(cli_env):
    done = run(cli_env, "ask", "đăng ký kết hôn cần giấy tờ gì")
    text = done.stdout.decode()
    assert done.returncode == 0
    assert "kết hôn" in text and "1.000894" in text and "Giấy tờ cần có" in text and "Lệ phí" in text


def test_eval_prints_metrics_by_style(cli_env, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(
            json.dumps(q, ensure_ascii=False)
            for q in [
                {"text": "đăng ký khai sinh", "gold": ["1.001193"], "aspect": "general", "style": "F"},
                {"text": "dang ky ket hon can giay to gi", "gold": ["1.000894"], "aspect": "docs", "style": "N"},
                {"text": "giá vàng hôm nay", "gold": [], "aspect": None, "style": "OOS"},
            ]
        ),
        encoding="utf-8",
    )
    done = run(cli_env, "eval", str(questions), "--json")
    report = json.loads(done.stdout)
    assert report["overall"]["hit@1"] == 1.0 and report["overall"]["off_topic_rejected"] == 1.0
    assert set(report["by_style"]) == {"F", "N", "OOS"}
    table = run(cli_env, "eval", str(questions)).stdout.decode()
    assert "hit@1" in table and "style OOS" in table


def test_chat_in_the_terminal(cli_env):
    done = run(cli_env, "chat", stdin="đăng ký tạm trú\ncòn lệ phí?\nthoát\n".encode())
    text = done.stdout.decode()
    assert done.returncode == 0
    assert "Đăng ký tạm trú" in text and "Lệ phí" in text

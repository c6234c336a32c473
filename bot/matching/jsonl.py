"""The `motcua match --jsonl` contract: one output line per input line, errors included."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from bot.matching.matcher import Matcher, MatchResult


def result_json(id_, result: MatchResult) -> dict:
    return {
        "id": id_,
        "status": result.status,
        "aspect": result.aspect,
        "candidates": [{"code": c.code, "name": c.name, "score": c.score} for c in result.candidates[:5]],
    }


def match_line(matcher: Matcher, raw: bytes) -> dict:
    """The output object for one input line (every input line gets exactly one)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {"id": None, "error": f"dòng không phải UTF-8 hợp lệ (byte {exc.start})"}
    if not line.strip():
        return {"id": None, "error": "dòng trống"}
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"JSON không hợp lệ: {exc.msg} (cột {exc.colno})"}
    if not isinstance(obj, dict):
        return {"id": None, "error": "mỗi dòng phải là một đối tượng JSON {\"id\", \"text\"}"}
    id_ = obj.get("id")
    text = obj.get("text")
    if not isinstance(text, str):
        return {"id": id_, "error": "thiếu trường \"text\" kiểu chuỗi"}
    try:
        return result_json(id_, matcher.match(text))
    except Exception as exc:  # one bad line never kills the batch
        return {"id": id_, "error": f"lỗi khi xử lý: {type(exc).__name__}"}


def match_stream(matcher: Matcher, lines: Iterable[bytes], out: IO[str]) -> None:
    for raw in lines:
        obj = match_line(matcher, raw.rstrip(b"\r\n"))
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()

"""Small builders shared by the readers."""
from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from bot.catalogue.schema import Document, DocumentGroup, Fee, ProcessingTime, SubmissionMethod, TimeUnit
from bot.catalogue.sources.text import clean, parse_time

PORTAL_URL = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{id}"

UNIT_WORDS: dict[TimeUnit, str] = {
    "working_day": "ngày làm việc",
    "day": "ngày",
    "hour": "giờ",
    "month": "tháng",
}


def read_jsonl_gz(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def time_from_text(text: str, method: SubmissionMethod | None = None) -> ProcessingTime | None:
    text = clean(text)
    if not text:
        return None
    value, unit = parse_time(text)
    return ProcessingTime(method=method, text=text, value=value, unit=unit)


_PerMethod = TypeVar("_PerMethod", ProcessingTime, Fee)


def time_from_value(value: float, unit: TimeUnit, method: SubmissionMethod | None = None) -> ProcessingTime:
    return ProcessingTime(method=method, text=f"{format_number(value)} {UNIT_WORDS[unit]}", value=value, unit=unit)


def dedupe_by_method(items: list[_PerMethod]) -> list[_PerMethod]:
    """Processing times or fees without repeats of the same (method, text)."""
    seen: set[tuple] = set()
    out = []
    for item in items:
        key = (item.method, item.text)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def make_group(title: str, required: bool, docs: list[tuple[str, int | None, int | None]]) -> DocumentGroup | None:
    documents = [Document(name=clean(n), originals=o, copies=c) for n, o, c in docs if _HAS_LETTER.search(n or "")]
    return DocumentGroup(title=clean(title), required=required, documents=documents) if documents else None


_HAS_LETTER = re.compile(r"[^\W\d_]")
_GENERIC_GROUP = re.compile(
    r"số lượng hồ sơ|giấy tờ (?:phải|cần) (?:nộp|xuất trình)|thành phần(?: hồ sơ)?|hồ sơ (?:gồm|bao gồm|đề nghị)|phần hồ sơ|bộ hồ sơ"
    r"|^\W*hồ sơ\W*$|giấy tờ phải",
    re.IGNORECASE,
)


def mark_case_groups(groups: list[DocumentGroup]) -> list[DocumentGroup]:
    """With several titled groups, a title that is not a generic heading names a case: not required."""
    titled = [g for g in groups if g.title]
    if len(titled) < 2:
        return groups
    return [
        g.model_copy(update={"required": False}) if g.title and not _GENERIC_GROUP.search(g.title) else g
        for g in groups
    ]


def ordered_methods(methods: list[SubmissionMethod]) -> list[SubmissionMethod]:
    order = ("in_person", "online_full", "online_partial", "post")
    present = set(methods)
    if "online_full" in present:
        present.discard("online_partial")
    return [m for m in order if m in present]

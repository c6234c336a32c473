"""Reader for the normalised GovEase records (documents, steps, methods; no fees)."""
from __future__ import annotations

import re
from typing import Any

from bot.catalogue.schema import LegalBasis, Level, ProcessingTime, SubmissionMethod
from bot.catalogue.sources import Partial, normalise_code
from bot.catalogue.sources.common import dedupe_by_method, make_group, ordered_methods, time_from_text
from bot.catalogue.sources.flat_tables import is_case_heading
from bot.catalogue.sources.text import (
    clean,
    clean_multiline,
    is_no_info,
    levels_from_body,
    levels_from_text,
    rejoin_paren_split,
    unique,
)

STEM = "govease_normalized_structured"

_CHANNELS: dict[str, SubmissionMethod] = {"in_person": "in_person", "postal": "post", "online": "online_partial"}
_TRIVIAL_STEP = re.compile(r"^[\d.\s\-–*#]*$")
_AS_DESCRIBED = re.compile(r"^theo mô tả", re.IGNORECASE)
_DEFAULT_GROUP = "default"


def _count(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _name(title: str) -> str:
    """Some titles are in capitals: "HƯỞNG TRỢ CẤP ỐM ĐAU" -> "Hưởng trợ cấp ốm đau"."""
    title = clean(title)
    return title[:1] + title[1:].lower() if title.isupper() else title


def _time(method: dict[str, Any], channel: SubmissionMethod) -> ProcessingTime | None:
    text = clean(method.get("processing_time_text"))
    if _AS_DESCRIBED.match(text) or not text:
        description = clean(method.get("description"))
        return time_from_text(description, channel) if description else None
    if re.fullmatch(r"0 ngày(?: làm việc)?", text):
        return None
    if not re.match(r"\d", text) and text.endswith(" ngày"):
        text = text[: -len(" ngày")]  # the normaliser appended a unit to free text
    return time_from_text(text, channel)


def _documents(docs: dict[str, Any]) -> list:
    groups: dict[tuple[str, bool], list[tuple[str, int | None, int | None]]] = {}
    for kind in ("required", "conditional"):
        for d in docs.get(kind) or []:
            title = "" if d.get("group_name") in (None, _DEFAULT_GROUP) else clean(d["group_name"])
            required = kind == "required" and not is_case_heading(title)
            groups.setdefault((title, required), []).append(
                (d.get("name", ""), _count(d.get("original_count")), _count(d.get("copy_count")))
            )
    return [g for (title, required), docs_ in groups.items() if (g := make_group(title, required, docs_))]


def _steps(process: dict[str, Any]) -> list[str]:
    steps = [clean((s.get("content") or "").replace("**", "")) for s in process.get("steps") or []]
    return [s for s in steps if s and not _TRIVIAL_STEP.match(s)]


def read_govease_record(rec: dict[str, Any]) -> Partial | None:
    source = rec.get("source") or {}
    code = normalise_code(source.get("procedure_code"))
    if code is None:
        return None
    proc = rec.get("procedure") or {}
    bodies = unique(proc.get("authorities") or [])
    levels: set[Level] = levels_from_text(proc.get("level"))
    for body in bodies:
        levels |= levels_from_body(body)
    methods: list[SubmissionMethod] = []
    times: list[ProcessingTime] = []
    for m in (rec.get("submission") or {}).get("methods") or []:
        channel = _CHANNELS.get(m.get("channel", ""))
        if channel is None:
            continue
        if channel == "online_partial" and "toàn trình" in (m.get("description") or "").lower():
            channel = "online_full"
        methods.append(channel)
        if t := _time(m, channel):
            times.append(t)
    eligibility = rec.get("eligibility") or {}
    conditions = clean_multiline("\n".join(eligibility.get("conditions") or []))
    legal = (rec.get("legal_basis") or {}).get("items") or []
    return {
        "code": code,
        "name": _name(source.get("title", "")),
        "field": clean(source.get("field")) or None,
        "levels": levels,
        "executing_bodies": bodies,
        "target_users": rejoin_paren_split(proc.get("target_users") or []),
        "submission_methods": ordered_methods(methods),
        "processing_times": dedupe_by_method(times),
        "document_groups": _documents(rec.get("documents") or {}),
        "steps": _steps(rec.get("process") or {}),
        "conditions": None if is_no_info(clean(conditions)) else conditions,
        "results": unique(i.get("name", "") for i in (rec.get("results") or {}).get("items") or []),
        "legal_basis": [
            LegalBasis(code=clean(lb.get("code")) or None, title=clean(lb.get("title")) or clean(lb.get("code")))
            for lb in legal
            if clean(lb.get("title")) or clean(lb.get("code"))
        ],
    }

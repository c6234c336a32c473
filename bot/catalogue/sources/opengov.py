"""Readers for the portal's own JSON: the national index and the detailed records."""
from __future__ import annotations

import re
from typing import Any

from bot.catalogue.schema import Fee, LegalBasis, Level, ProcessingTime, SubmissionMethod, TimeUnit
from bot.catalogue.sources import Partial, normalise_code
from bot.catalogue.sources.common import (
    PORTAL_URL,
    dedupe_by_method,
    format_number,
    make_group,
    ordered_methods,
    time_from_text,
    time_from_value,
)
from bot.catalogue.sources.flat_tables import is_case_heading
from bot.catalogue.sources.text import (
    clean,
    clean_lines,
    clean_multiline,
    format_vnd,
    is_free_text,
    is_no_info,
    levels_from_body,
    money_amounts,
    province_name,
    split_list,
    unique,
)

INDEX_STEM = "opengov_dvc_catalog_5670"
DETAILS_STEM = "opengov_dvc_details_raw"

_METHODS: dict[str, SubmissionMethod] = {"DIRECT": "in_person", "POSTAL": "post", "ONLINE": "online_partial"}
_UNITS: dict[str, TimeUnit] = {"WORKING_DAY": "working_day", "DAY": "day", "HOUR": "hour", "MONTH": "month"}
_FLAGS: dict[str, Level] = {"isWard": "commune", "isProvince": "province", "isMinistry": "ministry", "isOtherAgency": "other"}
_NOTE_GROUP = re.compile(r"^\W*lưu ý", re.IGNORECASE)


def _names(items: list[dict[str, Any]] | None) -> list[str]:
    return unique(i.get("name", "") for i in items or [])


def read_index_record(rec: dict[str, Any]) -> Partial | None:
    code = normalise_code(rec.get("code"))
    if code is None:
        return None
    bodies = unique(rec.get("departments") or [])
    ptype = rec.get("type") or "STANDARD"
    out: Partial = {
        "code": code,
        "name": clean(rec.get("name")),
        "field": clean((rec.get("categories") or [""])[0]) or None,
        "type": ptype,
        "executing_bodies": bodies,
        "target_users": unique(rec.get("formalityTargetType") or []),
        "levels": set().union(*(levels_from_body(b) for b in bodies)) if bodies else set(),
        "portal_url": PORTAL_URL.format(id=rec["id"]) if rec.get("id") else None,
    }
    if ptype == "SPECIFIC":
        out["province"] = province_name(rec.get("departmentPromulgate") or "")
    return out


# ---------------------------------------------------------------- details


def details_fee(value: Any, currency: str | None, description: str) -> tuple[str, int | None] | None:
    """Typed portal fee -> (text, amount). A 0 whose text says the amount is set elsewhere is unknown, not free."""
    desc = clean(description)
    if isinstance(value, (int, float)) and value > 0:
        if currency == "USD":
            text = f"{format_number(value)} USD"
            return (f"{text} ({desc})" if desc else text), None
        if value >= 1000:
            text = format_vnd(int(value))
            return (f"{text} ({desc})" if desc else text), int(value)
        amounts = money_amounts(desc)  # small unit-less values are thousands: trust the wording only
        return (desc or f"{format_number(value)} (không rõ đơn vị)"), (amounts[0] if amounts else None)
    if not desc:
        return ("Miễn phí", 0) if value == 0 else None
    amounts = money_amounts(desc)
    if amounts:
        return desc, amounts[0]
    return desc, (0 if value == 0 and is_free_text(desc) else None)


def _method_times(rec: dict[str, Any]) -> list[ProcessingTime]:
    times: list[ProcessingTime] = []
    for m in rec.get("executionMethods") or []:
        method = _METHODS.get(m.get("submissionMethod", ""))
        raw, unit = m.get("processingTime"), _UNITS.get(m.get("processingTimeUnit", ""))
        if isinstance(raw, str) and clean(raw) and clean(raw) != "Theo mô tả":
            if t := time_from_text(raw, method):
                times.append(t)
        elif isinstance(raw, (int, float)) and raw > 0 and unit:
            times.append(time_from_value(float(raw), unit, method))
        elif isinstance(raw, str) and m.get("description") and (t := time_from_text(m["description"], method)):
            if t.value is not None:
                times.append(t)
    if len(times) < len(rec.get("executionMethods") or []):
        for case in rec.get("cases") or []:
            day = case.get("processingDay") or {}
            unit = _UNITS.get(day.get("type", ""))
            if unit and isinstance(day.get("qty"), (int, float)) and day["qty"] > 0:
                times.append(time_from_value(float(day["qty"]), unit))
    return dedupe_by_method(times)


def _method_fees(rec: dict[str, Any]) -> list[Fee]:
    fees: list[Fee] = []
    for m in rec.get("executionMethods") or []:
        method = _METHODS.get(m.get("submissionMethod", ""))
        for f in m.get("fees") or []:
            parsed = details_fee(f.get("value"), f.get("currencyName"), f.get("description") or "")
            if parsed:
                fees.append(Fee(method=method, text=parsed[0], amount_vnd=parsed[1]))
    return dedupe_by_method(fees)


def _methods(rec: dict[str, Any]) -> list[SubmissionMethod]:
    out: list[SubmissionMethod] = []
    for m in rec.get("executionMethods") or []:
        method = _METHODS.get(m.get("submissionMethod", ""))
        if method == "online_partial" and rec.get("isFullProcess"):
            method = "online_full"
        if method:
            out.append(method)
    return ordered_methods(out)


def _documents(rec: dict[str, Any]) -> list:
    groups = []
    for case in rec.get("executionCases") or []:
        title = clean(case.get("name"))
        if _NOTE_GROUP.match(title):
            continue
        docs = [(c.get("name", ""), c.get("originalQty"), c.get("copyQty")) for c in case.get("profileComponents") or []]
        if group := make_group(title, not is_case_heading(title), docs):
            groups.append(group)
    return groups


def _steps(rec: dict[str, Any]) -> list[str]:
    steps: list[str] = []
    for step in rec.get("executionSteps") or []:
        name = clean(step.get("name"))
        lines = clean_lines(step.get("description"))
        if name and lines:
            lines[0] = f"{name}: {lines[0]}"
        elif name:
            lines = [name]
        steps.extend(lines)
    return steps


def read_details_record(rec: dict[str, Any]) -> Partial | None:
    code = normalise_code(rec.get("code"))
    if code is None:
        return None
    bodies = _names(rec.get("departmentsExecuting")) or split_list(clean(rec.get("executingAgencies")))
    levels: set[Level] = {level for flag, level in _FLAGS.items() if rec.get(flag)}
    for body in bodies:
        levels |= levels_from_body(body)
    category = rec.get("category") or (rec.get("categoriesDetails") or [{}])[0]
    ptype = rec.get("type") or "STANDARD"
    conditions = clean_multiline(rec.get("requirementsAndConditions"))
    out: Partial = {
        "code": code,
        "name": clean(rec.get("name")),
        "field": clean(category.get("name")) or None,
        "type": ptype,
        "levels": levels,
        "executing_bodies": bodies,
        "authorised_bodies": _names(rec.get("departmentsAuthority")),
        "target_users": _names(rec.get("subjectTypesDetails")),
        "submission_methods": _methods(rec),
        "processing_times": _method_times(rec),
        "fees": _method_fees(rec),
        "document_groups": _documents(rec),
        "steps": _steps(rec),
        "conditions": None if is_no_info(clean(conditions)) else conditions,
        "results": _names(rec.get("resultsDetails")),
        "legal_basis": [
            LegalBasis(code=clean(lb.get("code")) or None, title=clean(lb.get("name")) or clean(lb.get("code")))
            for lb in rec.get("legalBasisesDetails") or []
            if clean(lb.get("name")) or clean(lb.get("code"))
        ],
        "portal_url": PORTAL_URL.format(id=rec["id"]) if rec.get("id") else None,
    }
    if ptype == "SPECIFIC":
        out["province"] = province_name(rec.get("departmentPromulgateName") or "")
    return out

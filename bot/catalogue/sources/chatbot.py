"""Reader for the scraped portal pages whose tables were flattened."""
from __future__ import annotations

import re
from typing import Any

from bot.catalogue.schema import Fee, LegalBasis, Level, ProcessingTime, SubmissionMethod
from bot.catalogue.sources import Partial, normalise_code
from bot.catalogue.sources.common import dedupe_by_method, make_group, ordered_methods, time_from_text
from bot.catalogue.sources.flat_tables import (
    parse_documents_table,
    parse_legal_table,
    parse_methods_table,
    parse_results,
)
from bot.catalogue.sources.text import (
    clean,
    clean_lines,
    clean_multiline,
    is_no_info,
    levels_from_body,
    levels_from_text,
    money_amounts,
    split_list,
    unique,
)

STEM = "chatbot_tthc_dvc_raw"

_PAGE_JUNK = re.compile(r"Từ khóa.*$|Chọn cơ quan thực hiện.*$", re.DOTALL)
_FOREIGN_MONEY = re.compile(r"\d\s*(?:USD|EUR)\b")
_MAX_DESCRIPTION_TIME = 300  # longer descriptions are case lists, not a processing time


def _methods_times_fees(
    table: str,
) -> tuple[list[SubmissionMethod], list[ProcessingTime], list[Fee]]:
    methods: list[SubmissionMethod] = []
    times: list[ProcessingTime] = []
    fees: list[Fee] = []
    for row in parse_methods_table(table):
        method = row.method
        if method == "online_partial" and "toàn trình" in row.description.lower():
            method = "online_full"
        methods.append(method)
        if row.time_text:
            if t := time_from_text(row.time_text, method):
                times.append(t)
        elif row.description and len(row.description) <= _MAX_DESCRIPTION_TIME:
            t = time_from_text(row.description, method)
            if t and t.value is not None:
                times.append(t)
        if row.fee_text:
            text, amount = row.fee_text, row.fee_amount
            described = money_amounts(row.description)
            if described or _FOREIGN_MONEY.search(row.description):
                text = f"{text} – {row.description}"  # the description column details the fee
                if not amount and described:
                    amount = described[0]
            fees.append(Fee(method=method, text=text, amount_vnd=amount))
    return ordered_methods(methods), dedupe_by_method(times), dedupe_by_method(fees)


def _text(raw: Any) -> str:
    return clean_multiline(_PAGE_JUNK.sub("", raw or ""))


def read_chatbot_record(rec: dict[str, Any]) -> Partial | None:
    code = normalise_code(rec.get("ma_thu_tuc"))
    if code is None:
        return None
    bodies = split_list(clean(rec.get("co_quan_thuc_hien")))
    levels: set[Level] = levels_from_text(rec.get("cap_thuc_hien"))
    for body in bodies:
        levels |= levels_from_body(body)
    methods, times, fees = _methods_times_fees(rec.get("cach_thuc_thuc_hien") or "")
    groups = [
        g
        for fg in parse_documents_table(rec.get("thanh_phan_ho_so") or "")
        if (g := make_group(fg.title, fg.required, [(d.name, d.originals, d.copies) for d in fg.documents]))
    ]
    conditions = _text(rec.get("yeu_cau_dieu_kien"))
    return {
        "code": code,
        "name": clean(rec.get("ten_thu_tuc")),
        "field": clean(rec.get("linh_vuc")) or None,
        "levels": levels,
        "executing_bodies": bodies,
        "authorised_bodies": unique(
            split_list(clean(rec.get("co_quan_co_tham_quyen"))) + split_list(clean(rec.get("co_quan_duoc_uy_quyen")))
        ),
        "target_users": split_list(clean(rec.get("doi_tuong_thuc_hien"))),
        "submission_methods": methods,
        "processing_times": times,
        "fees": fees,
        "document_groups": groups,
        "steps": clean_lines(_PAGE_JUNK.sub("", rec.get("trinh_tu_thuc_hien") or "")),
        "conditions": None if is_no_info(clean(conditions)) else conditions,
        "results": unique(parse_results(rec.get("ket_qua_xu_ly") or "")),
        "legal_basis": [LegalBasis(code=lb.code, title=lb.title) for lb in parse_legal_table(rec.get("can_cu_phap_ly") or "")],
        "portal_url": clean(rec.get("detail_url")) or None,
    }

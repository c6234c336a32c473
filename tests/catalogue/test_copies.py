"""A detail page shared verbatim by procedures of different fields is withheld from all of them."""
from __future__ import annotations

from bot.catalogue.build import merge
from bot.catalogue.copies import copied_pages, withhold
from bot.catalogue.schema import Document, DocumentGroup

CHATBOT, GOVEASE = "chatbot_tthc_dvc_raw", "govease_normalized_structured"


def _page(document: str, step: str, **extra) -> dict:
    return {
        "document_groups": [DocumentGroup(documents=[Document(name=document, originals=1)])],
        "steps": [step],
        "conditions": None,
        "results": [],
        **extra,
    }


def _partial(code: str, name: str, field: str, page: dict) -> dict:
    return {"code": code, "name": name, "field": field, "levels": {"commune"}, "portal_url": f"https://x/{code}", **page}


PROJECT = _page("Đơn đề nghị hỗ trợ phát triển sản xuất cộng đồng", "Cơ quan quản lý dự án thông báo kế hoạch")


def test_same_page_in_two_fields_is_withheld_from_both():
    by_code = {
        "3.000284": {CHATBOT: _partial("3.000284", "Mở khóa tài khoản định danh điện tử", "Định danh", PROJECT)},
        "1.002544": {CHATBOT: _partial("1.002544", "Hợp nhất công ty luật nước ngoài", "Luật sư", PROJECT)},
    }
    fields = {"3.000284": "Định danh", "1.002544": "Luật sư"}
    assert copied_pages(by_code, fields) == {"3.000284": [CHATBOT], "1.002544": [CHATBOT]}


def test_siblings_of_one_field_may_share_a_page():
    by_code = {
        code: {GOVEASE: _partial(code, name, "Đất đai", PROJECT)}
        for code, name in (("1.115590", "Đăng ký, cấp Giấy chứng nhận"), ("1.115591", "Nhận chuyển nhượng"))
    }
    assert copied_pages(by_code, {"1.115590": "Đất đai", "1.115591": "Đất đai"}) == {}


def test_a_page_with_one_part_is_too_thin_to_compare():
    thin = {"document_groups": [], "steps": ["Nộp hồ sơ"], "conditions": None, "results": []}
    by_code = {
        "1.000001": {CHATBOT: _partial("1.000001", "Thủ tục một", "A", thin)},
        "1.000002": {CHATBOT: _partial("1.000002", "Thủ tục hai", "B", thin)},
    }
    assert copied_pages(by_code, {"1.000001": "A", "1.000002": "B"}) == {}


def test_merge_takes_the_facts_from_another_source_or_leaves_them_unknown():
    own = _page("Phiếu đề nghị khóa, mở khóa tài khoản định danh điện tử (mẫu TK03)", "Công an xã tiếp nhận phiếu")
    copied = _partial("3.000286", "Mở khóa căn cước điện tử", "Định danh", {**PROJECT, "conditions": "Dự án của cộng đồng"})
    with_other = merge("3.000286", {CHATBOT: withhold(copied), GOVEASE: _partial("3.000286", "Mở khóa căn cước điện tử", "Định danh", own)}, [CHATBOT])
    assert with_other.document_groups[0].documents[0].name.startswith("Phiếu đề nghị khóa")
    assert with_other.conditions is None
    assert with_other.withheld_sources == [CHATBOT]
    assert with_other.portal_url == "https://x/3.000286"

    alone = merge("3.000284", {CHATBOT: withhold(copied)}, [CHATBOT])
    assert alone.document_groups == [] and alone.steps == [] and alone.conditions is None
    assert alone.levels == ["other"]  # the copied page's levels are not believed either

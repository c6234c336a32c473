"""The answer card says what is unknown as unknown, and why, when the source page was withheld."""
from __future__ import annotations

from bot.catalogue.load import load_catalogue
from bot.catalogue.schema import Procedure
from handlers.procedure import aspect_reply, procedure_card


def _text(reply) -> str:
    return "\n".join("".join(span.text for span in line) for line in reply.lines)


def _withheld(**facts) -> Procedure:
    return Procedure(
        code="3.000284", name="Mở khóa tài khoản định danh điện tử (thực hiện tại cấp xã)", field="Định danh",
        levels=["commune"], type="STANDARD", executing_bodies=["Công an cấp Xã"],
        portal_url="https://dichvucong.gov.vn/thu-tuc/3.000284", withheld_sources=["chatbot_tthc_dvc_raw"],
        sources=["chatbot_tthc_dvc_raw"], **facts,
    )


def test_withheld_page_gives_unknowns_and_points_to_the_portal():
    text = _text(procedure_card(_withheld()))
    assert "Giấy tờ cần có: chưa có thông tin." in text
    assert "chép nhầm nội dung của thủ tục khác" in text and "https://dichvucong.gov.vn/thu-tuc/3.000284" in text
    assert "chưa có hình thức nộp trực tuyến" not in text  # unknown methods are not "no online submission"


def test_withheld_conditions_are_unknown_not_none_required():
    text = _text(aspect_reply(_withheld(), "conditions"))
    assert "Điều kiện: chưa có thông tin." in text and "không có yêu cầu" not in text


def test_no_note_when_another_source_gave_the_facts():
    from bot.catalogue.schema import Document, DocumentGroup, ProcessingTime

    full = _withheld(
        document_groups=[DocumentGroup(documents=[Document(name="Phiếu đề nghị mở khóa (mẫu TK03)")])],
        processing_times=[ProcessingTime(text="1 ngày làm việc", value=1, unit="working_day")],
        steps=["Nộp phiếu tại Công an xã"],
    )
    assert "chép nhầm" not in _text(procedure_card(full))


def test_shipped_cards_carry_no_copied_project_text():
    by_code = {p.code: p for p in load_catalogue()}
    for code in ("3.000284", "3.000283", "3.000274", "2.001709"):
        p = by_code[code]
        assert p.withheld_sources
        text = _text(procedure_card(p)) + _text(aspect_reply(p, "steps")) + _text(aspect_reply(p, "conditions"))
        assert "sản xuất cộng đồng" not in text and "thanh niên xung phong" not in text

"""Golden tests for the flattened-table parsers, with snippets copied from chatbot_tthc_dvc_raw."""
from __future__ import annotations

import pytest

from bot.catalogue.sources.flat_tables import (
    FlatDocument,
    FlatLegalBasis,
    is_case_heading,
    parse_documents_table,
    parse_legal_table,
    parse_methods_table,
    parse_results,
)
from bot.catalogue.sources.opengov import details_fee
from bot.catalogue.sources.text import is_free_text, mentions_district, parse_fee_amount, parse_time

H = "Hình thức nộpThời gianPhí, lệ phíMô tả"

# ---------------------------------------------------------------- methods / time / fee table


def rows(text: str) -> list[tuple]:
    return [(r.method, r.time_text, r.fee_text, r.fee_amount, r.description) for r in parse_methods_table(text)]


def test_methods_per_page_fee_and_foreign_currency():  # 2.000815 chứng thực bản sao
    text = (
        H + "Trực tiếpKhông có thông tin2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề "
        "công chứng: 2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa thu không quá 200.000 "
        "đồng/bản. Trang là căn cứ để thu phí được tính theo trang của bản chính;Trực tiếpKhông có thông tin10 USD"
        "(/bản)Tại cơ quan đại diện: 10 USD/bản."
    )
    got = rows(text)
    assert [r[:4] for r in got] == [
        ("in_person", "", "2.000 đồng/trang", 2000),
        ("in_person", "", "10 USD/bản", None),
    ]
    assert got[0][4].startswith("Tại Ủy ban nhân dân cấp xã") and got[1][4] == "Tại cơ quan đại diện: 10 USD/bản."


def test_methods_time_fee_note_description():  # 1.014779
    text = (
        H + "Trực tuyến7 Ngày làm việc230,000 Việt Nam Đồng(Kiểm tra điều kiện cơ sở buôn bán thuốc thú y, thuốc thú y "
        "thủy sản: 230.000/lần)07 ngày làm việc kể từ ngày nhận hồ sơ hợp lệ.Dịch vụ bưu chính7 Ngày làm việc230,000 "
        "Việt Nam Đồng(Kiểm tra điều kiện cơ sở buôn bán thuốc thú y, thuốc thú y thủy sản: 230.000/lần)07 ngày làm "
        "việc kể từ ngày nhận hồ sơ hợp lệ."
    )
    note = "Kiểm tra điều kiện cơ sở buôn bán thuốc thú y, thuốc thú y thủy sản: 230.000/lần"
    desc = "07 ngày làm việc kể từ ngày nhận hồ sơ hợp lệ."
    assert rows(text) == [
        ("online_partial", "7 ngày làm việc", f"230.000 đồng ({note})", 230000, desc),
        ("post", "7 ngày làm việc", f"230.000 đồng ({note})", 230000, desc),
    ]


def test_methods_free_label_with_note_deciding_elsewhere_is_unknown():  # 1.005461
    note = (
        "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định. Miễn lệ phí cho "
        "người thuộc gia đình có công với cách mạng; người thuộc hộ nghèo; người khuyết tật."
    )
    got = rows(H + f"Trực tuyến5Miễn phí({note})Trực tiếp5Miễn phí({note})")
    assert got == [
        ("online_partial", "", f"Miễn phí ({note})", None, ""),
        ("in_person", "", f"Miễn phí ({note})", None, ""),
    ]


def test_methods_really_free():  # 1.009491, 1.001193
    assert rows(H + "Dịch vụ bưu chính5 Ngày làm việcMiễn phí(Không có)Trực tiếp5 Ngày làm việcMiễn phí(Không có)") == [
        ("post", "5 ngày làm việc", "Miễn phí (Không có)", 0, ""),
        ("in_person", "5 ngày làm việc", "Miễn phí (Không có)", 0, ""),
    ]
    assert rows(H + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí") == [
        ("online_partial", "", "Miễn phí", 0, ""),
        ("post", "", "Miễn phí", 0, ""),
        ("in_person", "", "Miễn phí", 0, ""),
    ]


def test_methods_bare_time_glued_to_amount():  # 1.000014, 2.002044
    assert rows(H + "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp120 VNĐ(20.000 vnđ /tờ khai)") == [
        ("online_partial", "", "20 VNĐ (20.000 vnđ /tờ khai)", 20000, ""),
        ("in_person", "", "20 VNĐ (20.000 vnđ /tờ khai)", 20000, ""),
    ]
    text = (
        H + "Trực tuyến1Miễn phí(Miễn lệ phí  (Thông tư số 47/2019/TT-BTC).)Dịch vụ bưu chính1100 VNĐ(- Phí công bố "
        "nội dung đăng ký doanh nghiệp: 100.000 đồng/lần (Thông tư số 47/2019/TT-BTC).)Trực tiếp1100,000 VNĐ(- Phí "
        "công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần (Thông tư số 47/2019/TT-BTC).)"
    )
    assert [(m, fee_amount) for m, _, _, fee_amount, _ in rows(text)] == [
        ("online_partial", 0),
        ("post", 100000),
        ("in_person", 100000),
    ]
    assert rows(text)[2][2].startswith("100.000 đồng (- Phí công bố")


def test_methods_month_and_usd():  # 1.001010
    assert rows(H + "Trực tiếp6 Tháng100 USD(100 USD/thẻ.)") == [("in_person", "6 tháng", "100 USD (100 USD/thẻ.)", None, "")]


def test_methods_method_word_inside_description_is_not_a_row():  # 1.003777
    text = (
        H + "Trực tiếp10 NgàyKhông có thông tinTrực tiếp tại cơ quan Công an cấp huyện nơi cán bộ, chiến sĩ hoặc thân "
        "nhân cán bộ, chiến sĩ thường trú. - Công an cấp huyện: 10 ngày kể từ ngày nhận đủ hồ sơ hợp lệ.Trực tiếp10 "
        "NgàyKhông có thông tin- Công an cấp tỉnh: 10 ngày kể từ ngày nhận đủ hồ sơ hợp lệ."
    )
    got = rows(text)
    assert [(m, t, f, a) for m, t, f, a, _ in got] == [("in_person", "10 ngày", "", None)] * 2
    assert got[0][4].startswith("Trực tiếp tại cơ quan Công an cấp huyện")


def test_methods_no_result_time_cell_and_enumerated_description():  # 1.007689, 1.014237
    text = H + "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíBằng phương thức điện tử qua Cổng dịch vụ công."
    assert rows(text) == [
        ("online_partial", "Không phải trả kết quả cho người nộp thuế", "Miễn phí", 0, "Bằng phương thức điện tử qua Cổng dịch vụ công.")
    ]
    text = H + "Trực tiếp14 Ngày làm việcKhông có thông tin(1) Trường hợp thay đổi tên tổ chức, cá nhân thăm dò khoáng sản:"
    assert rows(text) == [
        ("in_person", "14 ngày làm việc", "", None, "(1) Trường hợp thay đổi tên tổ chức, cá nhân thăm dò khoáng sản:")
    ]


# ---------------------------------------------------------------- documents table


def docs(text: str) -> list[tuple[str, bool, list[FlatDocument]]]:
    return [(g.title, g.required, g.documents) for g in parse_documents_table(text)]


def test_documents_counts_and_form_file():  # 1.002010
    text = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngDự thảo Điều lệ của công ty luật1 bản chínhGiấy tờ chứng minh về trụ sở "
        "của tổ chức hành nghề luật sư.0 bản chính,1 bản saoGiấy đề nghị đăng ký hoạt động theo mẫu thống nhấtMẫu "
        "TP-LS-02-sđ.docx1 bản chính"
    )
    assert docs(text) == [
        (
            "",
            True,
            [
                FlatDocument("Dự thảo Điều lệ của công ty luật", 1, 0),
                FlatDocument("Giấy tờ chứng minh về trụ sở của tổ chức hành nghề luật sư.", 0, 1),
                FlatDocument("Giấy đề nghị đăng ký hoạt động theo mẫu thống nhất", 1, 0),
            ],
        )
    ]


def test_documents_case_headings():  # 2.002799
    text = (
        "- Đối với trường hợp tạm ứng chi phí định giá tài sảnTên giấy tờMẫu đơn, tờ khaiSố lượngGiấy đề nghị tạm ứng1 "
        "bản chínhBảng tính toán tổng chi phí thực hiện định giá tài sản và cơ sở tính toán chi phí thực hiện định giá "
        "tài1 bản chínhĐối với trường hợp thanh toán chi phí định giá tài sảnTên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản "
        "yêu cầu định giá và bản chính các hoá đơn, chứng từ hợp pháp có liên quan1 bản chính- Giấy đề nghị thanh toán1 "
        "bản chính"
    )
    assert docs(text) == [
        (
            "- Đối với trường hợp tạm ứng chi phí định giá tài sản",
            False,
            [
                FlatDocument("Giấy đề nghị tạm ứng", 1, 0),
                FlatDocument(
                    "Bảng tính toán tổng chi phí thực hiện định giá tài sản và cơ sở tính toán chi phí thực hiện định giá tài",
                    1,
                    0,
                ),
            ],
        ),
        (
            "Đối với trường hợp thanh toán chi phí định giá tài sản",
            False,
            [
                FlatDocument("Văn bản yêu cầu định giá và bản chính các hoá đơn, chứng từ hợp pháp có liên quan", 1, 0),
                FlatDocument("- Giấy đề nghị thanh toán", 1, 0),
            ],
        ),
    ]


def test_documents_year_glued_to_count_and_several_form_files():  # 1.014980, 1.000070
    text = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản đề nghị ghi đầy đủ nội dung theo mẫu quy định tại Phụ lục IX ban "
        "hành kèm theo Nghị định số 56/2023/NĐ-CP ngày 24/07/20231 bản chínhDanh sách cá nhân tham gia huấn luyện.1 bản chính"
    )
    names = [(d.name, d.originals) for _, _, ds in docs(text) for d in ds]
    assert names == [
        ("Văn bản đề nghị ghi đầy đủ nội dung theo mẫu quy định tại Phụ lục IX ban hành kèm theo Nghị định số "
         "56/2023/NĐ-CP ngày 24/07/2023", 1),
        ("Danh sách cá nhân tham gia huấn luyện.", 1),
    ]
    text = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngBáo cáo hiện trạng khai thác theo Mẫu 40, Phụ lục I Nghị định số "
        "23/2026/NĐ-CPMau38.docxMau40.docx1 bản chínhVăn bản đề nghị cấp giấy phép theo Mẫu 03, Phụ lục I Nghị định "
        "số 23/2026/NĐ-CPMau03.docx1 bản chính"
    )
    assert [d.name for _, _, ds in docs(text) for d in ds] == [
        "Báo cáo hiện trạng khai thác theo Mẫu 40, Phụ lục I Nghị định số 23/2026/NĐ-CP",
        "Văn bản đề nghị cấp giấy phép theo Mẫu 03, Phụ lục I Nghị định số 23/2026/NĐ-CP",
    ]


def test_documents_count_words_inside_a_name():  # 1.007740, 1.001831
    text = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng+ Giấy phép quá cảnh đối với trường hợp hàng quá cảnh phải có giấy phép: "
        "01 bản chính.1 bản chính+ Vận tải đơn: 01 bản chụp;0 bản chính,1 bản sao"
    )
    assert [(d.name, d.originals, d.copies) for _, _, ds in docs(text) for d in ds] == [
        ("+ Giấy phép quá cảnh đối với trường hợp hàng quá cảnh phải có giấy phép: 01 bản chính.", 1, 0),
        ("+ Vận tải đơn: 01 bản chụp;", 0, 1),
    ]
    text = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy đề nghị đổi tiền không đủ tiêu chuẩn lưu thông.PHỤ LỤC 01- "
        "tt26.docx1 bản chính"
    )
    assert [d.name for _, _, ds in docs(text) for d in ds] == ["Giấy đề nghị đổi tiền không đủ tiêu chuẩn lưu thông."]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Trường hợp đăng ký trên môi trường điện tử:", True),
        ("a) Đối với trường hợp chuyển đổi quyền sử dụng đất", True),
        ("(1.3) Đối với công trình tôn giáo:", True),
        ("* Giấy tờ phải nộp:", False),
        ("Thủ tục hải quan đối với hàng hóa nhập khẩu", False),
        ("", False),
    ],
)
def test_case_headings(title: str, expected: bool):
    assert is_case_heading(title) is expected


# ---------------------------------------------------------------- legal basis table


def test_legal_title_then_code_with_glued_qh_codes():  # 1.007664
    text = (
        "Tên văn bản pháp lýMã văn bảnLuật 54/2014/QH1354/2014/QH13Thuế xuất khẩu, thuế nhập khẩu107/2016/QH13Quy định "
        "chi tiết một số điều và biện pháp thi hành Luật thuế xuất khẩu, thuế nhập khẩu134/2016/NĐ-CP"
    )
    assert parse_legal_table(text) == [
        FlatLegalBasis("54/2014/QH13", "Luật 54/2014/QH13"),
        FlatLegalBasis("107/2016/QH13", "Thuế xuất khẩu, thuế nhập khẩu"),
        FlatLegalBasis("134/2016/NĐ-CP", "Quy định chi tiết một số điều và biện pháp thi hành Luật thuế xuất khẩu, thuế nhập khẩu"),
    ]


def test_legal_code_glued_to_next_capitalised_title():  # 1.000823, 1.002693
    text = (
        "Tên văn bản pháp lýMã văn bảnNghị định 121/2021/NĐ-CP121/2021/NĐ-CPNghị quyết số 24/2026/NQ-CP ngày 29/4/2026 "
        "của Chính phủ cắt giảm thủ tục hành chính.24/2026/NQ-CP"
    )
    assert parse_legal_table(text) == [
        FlatLegalBasis("121/2021/NĐ-CP", "Nghị định 121/2021/NĐ-CP"),
        FlatLegalBasis("24/2026/NQ-CP", "Nghị quyết số 24/2026/NQ-CP ngày 29/4/2026 của Chính phủ cắt giảm thủ tục hành chính."),
    ]
    text = (
        "Tên văn bản pháp lýMã văn bảnVề quản lý công viên, cây xanh, mặt nước258/2025/NĐ-CPLuật Quy hoạch đô thị và "
        "nông thôn số 47/2024/QH1547/2024/QH15"
    )
    assert parse_legal_table(text) == [
        FlatLegalBasis("258/2025/NĐ-CP", "Về quản lý công viên, cây xanh, mặt nước"),
        FlatLegalBasis("47/2024/QH15", "Luật Quy hoạch đô thị và nông thôn số 47/2024/QH15"),
    ]


def test_legal_code_cell_with_prefix():  # 1.001651, 1.003586, 3.000042
    text = "Tên văn bản pháp lýMã văn bản73/2025/TT-NHNNSố 73/2025/TT-NHNNLuật Các tổ chức tín dụngLuật số 32/2024/QH15"
    assert parse_legal_table(text) == [
        FlatLegalBasis("73/2025/TT-NHNN", "73/2025/TT-NHNN"),
        FlatLegalBasis("32/2024/QH15", "Luật Các tổ chức tín dụng"),
    ]
    text = (
        "Tên văn bản pháp lýMã văn bảnLuậtLuật 18/2017/QH14Luật sửa đổi, bổ sung một số điều của 15 luật trong lĩnh "
        "vực nông nghiệp và môi trườngLuật số 146/2025/QH15Thông tư02/2026/TT-BNNMT"
    )
    assert parse_legal_table(text) == [
        FlatLegalBasis("18/2017/QH14", "Luật 18/2017/QH14"),
        FlatLegalBasis("146/2025/QH15", "Luật sửa đổi, bổ sung một số điều của 15 luật trong lĩnh vực nông nghiệp và môi trường"),
        FlatLegalBasis("02/2026/TT-BNNMT", "Thông tư 02/2026/TT-BNNMT"),
    ]
    text = "Tên văn bản pháp lýMã văn bảnvề cấp và quản lý bảo lãnh Chính phủNghị định số 92/2018/NĐ-CP"
    assert parse_legal_table(text) == [FlatLegalBasis("92/2018/NĐ-CP", "về cấp và quản lý bảo lãnh Chính phủ")]


def test_legal_lowercase_title_after_code_and_empty():
    text = "Tên văn bản pháp lýMã văn bảnThông tư 56/2024/TT-NHNN12/2025/TT-NHNNphân cấp thực hiện thủ tục hành chính11/2026/TT-NHNN"
    assert [lb.code for lb in parse_legal_table(text)] == ["12/2025/TT-NHNN", "11/2026/TT-NHNN"]
    assert parse_legal_table("Không có thông tin") == []


# ---------------------------------------------------------------- results


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (  # 3.000044
            "Bộ Tài chính tạm cấp cho các ngân hàng theo quy địnhMã: KQ.G12.000309Từ khóaKhông có thông tinMô tảKhông "
            "có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Bộ ngành --Đơn vị-- Chọn Cơ sở --Nộp hồ sơ",
            ["Bộ Tài chính tạm cấp cho các ngân hàng theo quy định"],
        ),
        (  # 1.005103
            "Thông báo kết quả kiểm tra, đánh giáMã: KQ.G04.000499Giấy hẹn trả Giấy chứng nhận kiểm địnhMã: "
            "KQ.G04.000500Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngànhNộp hồ sơ",
            ["Thông báo kết quả kiểm tra, đánh giá", "Giấy hẹn trả Giấy chứng nhận kiểm định"],
        ),
        (  # 1.001686
            ".văn bản trả lời.,Mã: KQ.G09.001342Giấy chứng nhận đủ điều kiện buôn bán thuốc thú yMã: KQ.G10.000209Từ "
            "khóaKhông có thông tin",
            ["văn bản trả lời", "Giấy chứng nhận đủ điều kiện buôn bán thuốc thú y"],
        ),
        ("Giấy khai sinh", ["Giấy khai sinh"]),
    ],
)
def test_results_without_page_junk(raw: str, expected: list[str]):
    assert parse_results(raw) == expected


# ---------------------------------------------------------------- time and fee expressions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 Ngày làm việc", (2.0, "working_day")),
        ("03 ngày làm việc", (3.0, "working_day")),
        ("05 (năm) ngày làm việc kể từ ngày nhận hồ sơ", (5.0, "working_day")),
        ("12,5 ngày làm việc", (12.5, "working_day")),
        ("Trong ngày", (1.0, "working_day")),
        ("15 ngày", (15.0, "day")),
        ("24 giờ", (24.0, "hour")),
        ("1 tháng", (1.0, "month")),
        ("Không quá 10 ngày làm việc. Đối với các xã miền núi thì tăng thêm không quá 10 ngày", (10.0, "working_day")),
        ("Không có thông tin", (None, None)),
        ("0 ngày", (None, None)),
        ("Chậm nhất vào ngày 20 tháng đầu tiên hàng quý", (None, None)),
        ("a) 05 ngày làm việc đối với trường hợp A; b) 07 ngày làm việc đối với trường hợp B", (None, None)),
    ],
)
def test_parse_time(text: str, expected: tuple):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Miễn phí", 0),
        ("Miễn phí (Không có)", 0),
        ("Không thu phí", 0),
        ("Miễn lệ phí (Thông tư số 47/2019/TT-BTC).", 0),
        ("Không có thông tin", None),
        ("50.000 đồng", 50000),
        ("70,000 VNĐ", 70000),
        ("Phí : 50.000 Đồng", 50000),
        ("Lệ phí : 100.000 đồng/hồ sơ", 100000),
        ("02 triệu đồng/Giấy chứng nhận", 2000000),
        ("Cho một loại hình sản phẩm: 8.000.000/lần; thêm một loại hình: 2.000.000/lần.", 8000000),
        ("Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định. Miễn lệ phí cho người thuộc hộ nghèo", None),
        ("Theo quy định của Luật phí và lệ phí", None),
        ("Theo Thông tư số 64/2025/TT-BTC", None),
        ("10 USD/bản", None),
        ("20 VNĐ", None),
    ],
)
def test_parse_fee_amount(text: str, expected: int | None):
    assert parse_fee_amount(text) == expected


def test_free_text_is_whole_statement_only():
    assert is_free_text("Không")
    assert not is_free_text("Miễn phí đối với người khuyết tật; 50.000 đồng đối với trường hợp khác")


@pytest.mark.parametrize(
    ("value", "currency", "description", "expected"),
    [
        (0, None, "", ("Miễn phí", 0)),
        (0, None, "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định.", (
            "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định.", None)),
        (None, None, "Hội đồng nhân dân cấp tỉnh quy định.", ("Hội đồng nhân dân cấp tỉnh quy định.", None)),
        (35000, "Việt Nam Đồng", "Lệ phí cấp Giấy chứng nhận lần đầu (Đất)", (
            "35.000 đồng (Lệ phí cấp Giấy chứng nhận lần đầu (Đất))", 35000)),
        (20, "USD", "Ghi vào Sổ việc kết hôn", ("20 USD (Ghi vào Sổ việc kết hôn)", None)),
        (100, None, "Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần", (
            "Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần", 100000)),
        (0, None, "Phí thẩm định: + Hộ gia đình, cá nhân: Đối với đất ở: 150.000 đồng/hồ sơ", (
            "Phí thẩm định: + Hộ gia đình, cá nhân: Đối với đất ở: 150.000 đồng/hồ sơ", 150000)),
        (None, None, "", None),
    ],
)
def test_details_fee(value, currency, description, expected):
    assert details_fee(value, currency, description) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nộp hồ sơ tại Ủy ban nhân dân cấp huyện", True),
        ("Phòng Tư pháp thuộc UBND huyện", True),
        ("các quận, huyện, thị xã", True),
        ("Ủy ban nhân dân xã, phường, đặc khu", False),
        ("Công an cấp Xã", False),
    ],
)
def test_mentions_district(text: str, expected: bool):
    assert mentions_district([text]) is expected

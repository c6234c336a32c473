import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.dossiers.sheet import COLUMNS, DossierRow, RowError, read_dossier_file, read_record
from bot.dossiers.status import DossierStatus, parse_status
from tests.dossiers.exports import HEADERS, STATUS_WORDINGS, sample_rows, write_csv, write_xlsx

# --- statuses --------------------------------------------------------------------------------

WORDINGS = {
    DossierStatus.RECEIVED: ["Mới tiếp nhận", "Đã tiếp nhận", "Tiếp nhận", "Được tiếp nhận", "Mới đăng ký"],
    DossierStatus.PROCESSING: ["Đang xử lý", "Đang giải quyết", "Đang thụ lý", "Đang xử lý (quá hạn)"],
    DossierStatus.SUPPLEMENT_REQUESTED: ["Yêu cầu bổ sung", "Bổ sung hồ sơ", "Chờ bổ sung", "Yêu cầu bổ sung giấy tờ"],
    DossierStatus.PAUSED: ["Tạm dừng", "Dừng xử lý"],
    DossierStatus.READY: ["Chờ trả kết quả", "Đã có kết quả", "Có kết quả", "Chờ trả", "Đã xử lý xong"],
    DossierStatus.RETURNED: ["Đã trả kết quả", "Đã trả", "Hoàn thành"],
    DossierStatus.REJECTED: ["Từ chối", "Không giải quyết", "Trả lại hồ sơ", "Đã trả lại hồ sơ", "Không được tiếp nhận", "Từ chối tiếp nhận"],
    DossierStatus.WITHDRAWN: ["Rút hồ sơ", "Công dân rút hồ sơ", "Đã rút", "Công dân yêu cầu rút hồ sơ"],
}


@pytest.mark.parametrize("wording,status", [(w, s) for s, ws in WORDINGS.items() for w in ws])
def test_status_wordings(wording, status):
    assert parse_status(wording) is status
    assert parse_status(wording.upper()) is status
    assert parse_status(wording.lower()) is status
    assert parse_status("  " + wording.replace(" ", "  ") + " ") is status


@pytest.mark.parametrize("wording,status", [
    ("dang xu ly", DossierStatus.PROCESSING),
    ("DA TRA KET QUA", DossierStatus.RETURNED),
    ("tra lai ho so", DossierStatus.REJECTED),
    ("Đang_xử_lý", DossierStatus.PROCESSING),
    ("supplement_requested", DossierStatus.SUPPLEMENT_REQUESTED),
    ("returned", DossierStatus.RETURNED),
    ("Chưa hoàn thành", DossierStatus.PROCESSING),  # negated, not a return
    ("Chưa trả kết quả", DossierStatus.PROCESSING),
    ("Yêu cầu thực hiện nghĩa vụ tài chính", DossierStatus.PROCESSING),
    ("Đã hủy", DossierStatus.WITHDRAWN),
])
def test_status_without_diacritics_and_enum_values(wording, status):
    assert parse_status(wording) is status


@pytest.mark.parametrize("text", ["", "  ", "xyz", "Trễ hạn", "Đã", "Trả"])
def test_unknown_status(text):
    assert parse_status(text) is None


def test_status_labels():
    assert {s: s.label for s in DossierStatus} == {
        DossierStatus.RECEIVED: "đã tiếp nhận",
        DossierStatus.PROCESSING: "đang xử lý",
        DossierStatus.SUPPLEMENT_REQUESTED: "cần bổ sung giấy tờ",
        DossierStatus.PAUSED: "tạm dừng",
        DossierStatus.READY: "đã có kết quả, chờ nhận",
        DossierStatus.RETURNED: "đã trả kết quả",
        DossierStatus.REJECTED: "bị từ chối",
        DossierStatus.WITHDRAWN: "đã rút",
    }
    assert DossierStatus("ready") is DossierStatus.READY and DossierStatus.READY == "ready"


# --- helpers ---------------------------------------------------------------------------------


def expected(row: dict, line: int, *, minutes: bool = True) -> DossierRow:
    """The DossierRow a sample row must read back as."""
    return DossierRow(
        line=line,
        code=row["ma_ho_so"],
        procedure_code=row["ma_thu_tuc"] or None,
        procedure_name=row["ten_thu_tuc"] or None,
        applicant_name=row["ho_ten"] or None,
        phone=row["so_dien_thoai"] or None,
        received_at=row["ngay_tiep_nhan"],
        due_at=row["ngay_hen_tra"],
        status=STATUS_WORDINGS[row["trang_thai"]][0],
        step=row["buoc_xu_ly"] or None,
        new_due_at=row["ngay_hen_moi"],
        late_reason=row["ly_do_tre_han"] or None,
    )


def one_row(tmp_path: Path, suffix: str = ".csv", **changes) -> tuple[dict, Path]:
    row = {**sample_rows(1, seed=7)[0], **changes}
    path = tmp_path / f"export{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, [row])
    return row, path


def errors_of(report) -> list[tuple]:
    return [(e.line, e.column) for e in report.errors]


# --- real-looking files ----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter,bom", [(",", True), (";", True), (";", False), ("\t", False)])
def test_real_csv(tmp_path, delimiter, bom):
    rows = sample_rows(300, seed=1)
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", rows, delimiter=delimiter, bom=bom))
    assert report.ok, report.errors[:3]
    assert report.rows == [expected(r, i + 2) for i, r in enumerate(rows)]
    assert report.warnings == ["bỏ qua cột không dùng: 'STT' (cột A)"]


def test_real_csv_with_title_rows_and_commas_in_titles(tmp_path):
    rows = sample_rows(20, seed=2)
    titles = ["UBND XÃ TÂN PHÚ, HUYỆN ĐỨC HÒA", "DANH SÁCH HỒ SƠ", ""]
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", rows, delimiter=";", title_rows=titles))
    assert report.ok
    assert [r.line for r in report.rows] == list(range(5, 25))  # header is line 4


def test_windows_1258_csv(tmp_path):
    rows = sample_rows(50, seed=3)
    path = write_csv(tmp_path / "ds.csv", rows, encoding="cp1258")
    assert "Mã hồ sơ".encode("utf-8") not in path.read_bytes()
    report = read_dossier_file(path)
    assert report.ok
    assert report.rows == [expected(r, i + 2) for i, r in enumerate(rows)]
    assert any("Windows-1258" in w for w in report.warnings)


def test_real_xlsx_with_title_rows(tmp_path):
    rows = sample_rows(200, seed=4)
    report = read_dossier_file(write_xlsx(tmp_path / "ds.xlsx", rows, footer="Tổng cộng: 200 hồ sơ"))
    assert report.ok, report.errors[:3]
    # 3 title rows and an empty row above the header (line 5)
    assert report.rows == [expected(r, i + 6) for i, r in enumerate(rows)]
    assert any("bỏ qua 1 dòng" in w and "206" in w for w in report.warnings)


def test_xlsx_text_dates_number_phones_and_codes(tmp_path):
    rows = sample_rows(3, seed=5)
    rows[0] |= {"ngay_tiep_nhan": "05/03/2025 08:30", "ngay_hen_tra": "2025-03-06", "so_dien_thoai": 912345678, "ma_thu_tuc": 1.001193}
    rows[1] |= {"so_dien_thoai": "+84 912 345 678", "ngay_tiep_nhan": datetime(2025, 3, 5), "ngay_hen_tra": 45722.6875}
    report = read_dossier_file(write_xlsx(tmp_path / "ds.xlsx", rows, title_rows=()))
    assert report.ok, report.errors
    first, second, _ = report.rows
    assert (first.received_at, first.due_at) == (datetime(2025, 3, 5, 8, 30), datetime(2025, 3, 6))
    assert (first.phone, first.procedure_code) == ("0912345678", "1.001193")
    assert (second.phone, second.due_at) == ("0912345678", datetime(2025, 3, 6, 16, 30))


def test_empty_rows_keep_line_numbers(tmp_path):
    rows = sample_rows(3, seed=6)
    path = write_csv(tmp_path / "ds.csv", rows)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join([lines[0], ",,,", lines[1], "", lines[2], lines[3]]) + "\n", encoding="utf-8")
    report = read_dossier_file(path)
    assert report.ok and [r.line for r in report.rows] == [3, 5, 6]


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("style", [
    lambda c, label: c.upper(),  # MA_HO_SO
    lambda c, label: c.replace("_", " "),  # ma ho so
    lambda c, label: label.upper(),  # MÃ HỒ SƠ
    lambda c, label: f" {label.replace(' ', '  ')}. ",  # spacing, dots
    lambda c, label: label.replace(" ", "_") + " (*)",  # required marker in brackets
])
def test_header_spellings(tmp_path, style):
    headers = {c: style(c, label) for c, label in COLUMNS.items()}
    rows = sample_rows(5, seed=8)
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", rows, headers=headers, stt=False))
    assert report.ok and not report.warnings
    assert report.rows == [expected(r, i + 2) for i, r in enumerate(rows)]


def test_only_required_columns_and_unknown_ones(tmp_path):
    headers = {"ma_ho_so": "Số hồ sơ", "ghi_chu": "Ghi chú", "trang_thai": "Tình trạng", "ngay_tiep_nhan": "Ngày nhận", "ngay_hen_tra": "Ngày hẹn trả kết quả"}
    rows = [{**r, "ghi_chu": "x"} for r in sample_rows(4, seed=9)]
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", rows, headers=headers))
    assert report.ok
    assert report.warnings == ["bỏ qua cột không dùng: 'STT' (cột A)", "bỏ qua cột không dùng: 'Ghi chú' (cột C)"]
    assert report.rows[0].phone is None and report.rows[0].procedure_code is None


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_missing_required_column(tmp_path, suffix):
    headers = {c: h for c, h in HEADERS.items() if c != "ngay_hen_tra"}
    path = tmp_path / f"ds{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, sample_rows(5), headers=headers)
    report = read_dossier_file(path)
    assert not report.ok and report.rows == []
    header_line = 1 if suffix == ".csv" else 5  # the XLSX has title rows
    assert report.errors == [RowError(header_line, "ngay_hen_tra", "", "thiếu cột bắt buộc 'Ngày hẹn trả'")]


def test_doubled_column(tmp_path):
    headers = {**HEADERS, "dup": "Ngày hẹn trả kết quả"}
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", sample_rows(2), headers=headers))
    assert not report.ok and report.rows == []
    assert report.errors[0].column == "ngay_hen_tra" and "cột H và cột M" in report.errors[0].reason


def test_no_header_in_first_rows(tmp_path):
    titles = [f"Tiêu đề {i}" for i in range(11)]
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", sample_rows(2), title_rows=titles))
    assert not report.ok and report.errors[0].line is None and "tiêu đề" in report.errors[0].reason
    ten = read_dossier_file(write_csv(tmp_path / "ten.csv", sample_rows(2), title_rows=titles[:10]))
    assert ten.ok and len(ten.rows) == 2


def test_header_without_rows(tmp_path):
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", []))
    assert not report.ok and "không có dòng hồ sơ" in report.errors[0].reason


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text,when", [
    ("5/3/2025", datetime(2025, 3, 5)),
    ("05/03/2025", datetime(2025, 3, 5)),
    ("05-03-2025", datetime(2025, 3, 5)),
    ("05.03.2025", datetime(2025, 3, 5)),
    ("05/03/2025 08:30", datetime(2025, 3, 5, 8, 30)),
    ("05/03/2025 8:30:15", datetime(2025, 3, 5, 8, 30, 15)),
    ("08:30 05/03/2025", datetime(2025, 3, 5, 8, 30)),
    ("2025-03-05", datetime(2025, 3, 5)),
    ("2025-03-05T08:30", datetime(2025, 3, 5, 8, 30)),
    ("2025-03-05 08:30:15", datetime(2025, 3, 5, 8, 30, 15)),
])
def test_date_formats(tmp_path, text, when):
    _, path = one_row(tmp_path, ngay_tiep_nhan=text, ngay_hen_tra="31/12/2025")
    report = read_dossier_file(path)
    assert report.ok, report.errors
    assert report.rows[0].received_at == when


@pytest.mark.parametrize("text,reason", [
    ("31/02/2025", "ngày 31/02/2025 không có trong lịch"),
    ("03/15/2025", "tháng 15 không có (dd/mm/yyyy: ngày trước, tháng sau)"),
    ("5/3/25", "ngày không hợp lệ: dùng dd/mm/yyyy hoặc yyyy-mm-dd"),
    ("hôm qua", "ngày không hợp lệ: dùng dd/mm/yyyy hoặc yyyy-mm-dd"),
    ("05/03/2025 25:00", "giờ không hợp lệ: 25:00"),
    ("05/03/1925", "năm 1925 không hợp lệ (2000–2099)"),
])
def test_malformed_dates(tmp_path, text, reason):
    _, path = one_row(tmp_path, ngay_tiep_nhan=text)
    report = read_dossier_file(path)
    assert report.rows == []
    assert report.errors == [RowError(2, "ngay_tiep_nhan", text, reason)]


def test_due_before_received(tmp_path):
    _, path = one_row(tmp_path, ngay_tiep_nhan="05/03/2025 08:30", ngay_hen_tra="04/03/2025", ngay_hen_moi="01/03/2025")
    report = read_dossier_file(path)
    assert errors_of(report) == [(2, "ngay_hen_tra"), (2, "ngay_hen_moi")]
    assert report.errors[0].reason == "ngày hẹn trả trước ngày tiếp nhận (05/03/2025)"
    _, same_day = one_row(tmp_path, ngay_tiep_nhan="05/03/2025 08:30", ngay_hen_tra="05/03/2025")
    assert read_dossier_file(same_day).ok


def test_unknown_status(tmp_path):
    _, path = one_row(tmp_path, trang_thai="xyz")
    (error,) = read_dossier_file(path).errors
    assert (error.line, error.column, error.value) == (2, "trang_thai", "xyz")
    assert error.reason.startswith("trạng thái không nhận ra: 'xyz' (dùng: Đã tiếp nhận, Đang xử lý")


def test_required_values(tmp_path):
    _, path = one_row(tmp_path, ma_ho_so=" ", trang_thai="")
    report = read_dossier_file(path)
    assert report.errors == [
        RowError(2, "ma_ho_so", "", "thiếu giá trị (cột bắt buộc)"),
        RowError(2, "trang_thai", "", "thiếu giá trị (cột bắt buộc)"),
    ]


def test_dossier_codes_canonical_invalid_and_duplicate(tmp_path):
    rows = sample_rows(4, seed=10)
    code = rows[0]["ma_ho_so"]
    rows[0]["ma_ho_so"] = code.lower().replace(".", "")
    rows[2]["ma_ho_so"] = code  # same code typed differently
    rows[3]["ma_ho_so"] = "HS-2025-0001"
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", rows))
    assert report.rows[0].code == code and [r.line for r in report.rows] == [2, 3]
    assert report.errors == [
        RowError(4, "ma_ho_so", code, "mã hồ sơ trùng với dòng 2"),
        RowError(5, "ma_ho_so", "HS-2025-0001", "mã hồ sơ không đúng dạng 000.00.29.H56-250315-0007"),
    ]


@pytest.mark.parametrize("given,code", [("1.001193", "1.001193"), ("", None), (" 2.002516 ", "2.002516")])
def test_procedure_code(tmp_path, given, code):
    _, path = one_row(tmp_path, ma_thu_tuc=given)
    assert read_dossier_file(path).rows[0].procedure_code == code


@pytest.mark.parametrize("given", ["1.00119", "1001193", "TT-01"])
def test_bad_procedure_code(tmp_path, given):
    _, path = one_row(tmp_path, ma_thu_tuc=given)
    assert read_dossier_file(path).errors == [RowError(2, "ma_thu_tuc", given, "mã thủ tục không đúng dạng 1.001193")]


@pytest.mark.parametrize("given,phone", [
    ("0912345678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912 345 678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    ("912345678", "0912345678"),
    ("0849123456", "0849123456"),
    ("028 3812 3456", "02838123456"),  # landlines have 11 digits
    ("", None),
])
def test_phones(tmp_path, given, phone):  # mobiles 10 digits; landlines 02… 11
    _, path = one_row(tmp_path, so_dien_thoai=given)
    assert read_dossier_file(path).rows[0].phone == phone


@pytest.mark.parametrize("given", ["091234567", "09123456789", "1912345678", "0912345678 / 0987654321"])
def test_bad_phone_is_masked(tmp_path, given):
    _, path = one_row(tmp_path, so_dien_thoai=given)
    (error,) = read_dossier_file(path).errors
    assert error.column == "so_dien_thoai" and error.reason.startswith("số điện thoại phải có 10 chữ số")
    assert not re.search(r"\d", error.value) and not re.search(r"\d{3}", str(error).replace("+84", ""))
    assert error.value == re.sub(r"\d", "*", given)


def test_personal_data_in_other_columns_is_not_echoed(tmp_path):
    rows = sample_rows(2, seed=11)
    rows[0]["trang_thai"] = rows[0]["ho_ten"]  # a shifted column
    rows[1]["trang_thai"] = "gọi 0912345678"
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", rows))
    shown = " ".join(str(e) for e in report.errors)
    assert rows[0]["ho_ten"] not in shown and "0912345678" not in shown
    assert [e.value for e in report.errors] == ["[đã ẩn]", "gọi [số]"]


def test_all_errors_of_a_row_are_reported(tmp_path):
    _, path = one_row(tmp_path, ma_ho_so="x", ngay_hen_tra="x", trang_thai="x", so_dien_thoai="1")
    assert errors_of(read_dossier_file(path)) == [(2, "ma_ho_so"), (2, "so_dien_thoai"), (2, "ngay_hen_tra"), (2, "trang_thai")]


def test_row_error_text():
    assert str(RowError(7, "ngay_hen_tra", "31/02/2025", "ngày 31/02/2025 không có trong lịch")) == (
        "Dòng 7, cột Ngày hẹn trả: ngày 31/02/2025 không có trong lịch"
    )
    assert str(RowError(3, "so_dien_thoai", "*****", "số điện thoại phải có 10 chữ số")) == (
        "Dòng 3, cột Số điện thoại: số điện thoại phải có 10 chữ số (giá trị: '*****')"
    )
    assert str(RowError(None, None, "", "chỉ nhận tệp .csv hoặc .xlsx")) == "Tệp: chỉ nhận tệp .csv hoặc .xlsx"


# --- files that cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize("name,content,reason", [
    ("ds.txt", b"x", "chỉ nhận tệp .csv hoặc .xlsx"),
    ("ds", b"x", "chỉ nhận tệp .csv hoặc .xlsx"),
    ("ds.xls", b"\xd0\xcf\x11\xe0", "định dạng .xls cũ"),
    ("ds.xlsx", b"PK\x03\x04 not really a zip", "không mở được tệp Excel"),
    ("ds.xlsx", b"", "không mở được tệp Excel"),
    ("ds.csv", b"", "không tìm thấy dòng tiêu đề"),
    ("ds.csv", bytes(range(256)) * 50, "không"),
    ("ds.csv", b'Ma ho so,Ngay tiep nhan,Ngay hen tra,Trang thai\n"unterminated' + b"x" * 200_000, "tệp CSV hỏng ở dòng 2"),
])
def test_unreadable_files_are_reported_not_raised(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    report = read_dossier_file(path)
    assert not report.ok and report.rows == []
    assert report.errors[0].line is None and reason in report.errors[0].reason


def test_missing_file_raises(tmp_path):
    for suffix in (".csv", ".xlsx"):
        with pytest.raises(FileNotFoundError):
            read_dossier_file(tmp_path / f"none{suffix}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["", "31/02/2025", "Đang xử lý", "000.00.29.H56-250315-0007", "+84"])), max_size=12), max_size=6))
def test_any_content_never_raises(tmp_path, cells):
    path = tmp_path / "fuzz.csv"
    header = ",".join(HEADERS.values())
    body = "\n".join(",".join(c.replace("\n", " ").replace("\r", " ") for c in row) for row in cells)
    path.write_text(header + "\n" + body, encoding="utf-8")
    report = read_dossier_file(path)
    assert len(report.rows) + len({e.line for e in report.errors}) <= len(cells) + 1


# --- size and progress -----------------------------------------------------------------------


def test_progress_batches(tmp_path):
    calls = []
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", sample_rows(2500, seed=12)), progress=calls.append)
    assert report.ok and calls == [1000, 1000, 500]


def test_50000_row_csv(tmp_path):
    rows = sample_rows(50_000, seed=13)
    calls = []
    report = read_dossier_file(write_csv(tmp_path / "ds.csv", rows), progress=calls.append)
    assert report.ok and sum(calls) == 50_000 and len(report.rows) == 50_000
    for i in (0, 12_345, 49_999):
        assert report.rows[i] == expected(rows[i], i + 2)
    assert {r.status for r in report.rows} == set(DossierStatus)
    assert len({r.code for r in report.rows}) == 50_000


# --- one record (pushed events) --------------------------------------------------------------


def test_read_record_with_fewer_required_columns():
    row, errors = read_record({"ma_ho_so": "000.00.29.h56 250315 0007", "trang_thai": "Đã trả kết quả", "event_id": "e1"},
                              required=("ma_ho_so",))
    assert errors == []
    assert (row.line, row.code, row.status, row.received_at, row.due_at) == (
        0, "000.00.29.H56-250315-0007", DossierStatus.RETURNED, None, None)


def test_read_record_errors():
    row, errors = read_record({"ma_ho_so": "000.00.29.H56-250315-0007", "so_dien_thoai": 12345, "ngay_hen_moi": "mai"})
    assert row is None
    assert [(e.column, e.reason.split(":")[0]) for e in errors] == [
        ("so_dien_thoai", "số điện thoại phải có 10 chữ số (máy bàn 11 chữ số), bắt đầu bằng 0 hoặc +84"),
        ("ngay_tiep_nhan", "thiếu giá trị (cột bắt buộc)"),
        ("ngay_hen_tra", "thiếu giá trị (cột bắt buộc)"),
        ("ngay_hen_moi", "ngày không hợp lệ"),
        ("trang_thai", "thiếu giá trị (cột bắt buộc)"),
    ]
    assert errors[0].value == "*****"

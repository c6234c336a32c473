"""Checks on the shipped procedures_data/catalogue.jsonl.gz and its reproducibility."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from bot.catalogue.build import build_catalogue
from bot.catalogue.load import iter_catalogue_dicts, load_catalogue
from bot.catalogue.schema import Procedure
from bot.catalogue.sources.text import money_amounts
from bot.paths import CATALOGUE_FILE, RAW_DVC_DIR

FREE_WORDS = ("miễn", "không thu", "không có", "không mất phí", "không phải nộp", "không")


@pytest.fixture(scope="module")
def catalogue() -> list[Procedure]:
    return load_catalogue()


@pytest.fixture(scope="module")
def by_code(catalogue: list[Procedure]) -> dict[str, Procedure]:
    return {p.code: p for p in catalogue}


def test_every_line_validates():
    with gzip.open(CATALOGUE_FILE, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            Procedure.model_validate_json(line)
    assert n >= 4000


def test_codes_unique_sorted_and_well_formed(catalogue: list[Procedure]):
    codes = [p.code for p in catalogue]
    assert len(codes) >= 4000
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"\d\.\d{6}", c) for c in codes)


def test_dict_iterator_matches(catalogue: list[Procedure]):
    assert [d["code"] for d in iter_catalogue_dicts()] == [p.code for p in catalogue]


def test_zero_fee_only_when_text_says_free(catalogue: list[Procedure]):
    for p in catalogue:
        for fee in p.fees:
            if fee.amount_vnd == 0:
                text = fee.text.lower()
                assert any(w in text for w in FREE_WORDS) and not money_amounts(fee.text), (p.code, fee)


def test_fee_amounts_are_plausible(catalogue: list[Procedure]):
    for p in catalogue:
        for fee in p.fees:
            assert fee.amount_vnd is None or fee.amount_vnd == 0 or fee.amount_vnd >= 100, (p.code, fee)


def test_province_only_for_specific_and_specific_have_province(catalogue: list[Procedure]):
    specific = [p for p in catalogue if p.type == "SPECIFIC"]
    assert specific
    assert all(p.province is None for p in catalogue if p.type != "SPECIFIC")
    assert sum(p.province is not None for p in specific) / len(specific) > 0.95


def test_text_is_normalised(catalogue: list[Procedure]):
    for p in catalogue[::50]:
        for text in (p.name, *p.executing_bodies, *p.steps, *p.results):
            assert "\xa0" not in text and text == text.strip() and "  " not in text, (p.code, text)


def test_sources_and_levels(catalogue: list[Procedure]):
    stems = {"opengov_dvc_catalog_5670", "opengov_dvc_details_raw", "govease_normalized_structured", "chatbot_tthc_dvc_raw"}
    for p in catalogue:
        assert set(p.sources) <= stems
        assert set(p.sources) & (stems - {"opengov_dvc_catalog_5670"}), p.code
    commune = sum("commune" in p.levels for p in catalogue)
    assert 800 <= commune <= 1100


def test_known_commune_procedures(by_code: dict[str, Procedure]):
    birth = by_code["1.001193"]
    assert "khai sinh" in birth.name.lower() and "commune" in birth.levels
    assert birth.document_groups and birth.results

    copy = by_code["2.000815"]
    assert copy.name.lower().startswith("chứng thực bản sao") and "commune" in copy.levels
    assert any("2.000 đồng/trang" in f.text and f.amount_vnd == 2000 for f in copy.fees)

    residence = by_code["1.004222"]
    assert residence.name == "Đăng ký thường trú" and "commune" in residence.levels
    assert "Công an cấp Xã" in residence.executing_bodies

    card = by_code["1.014061"]
    assert "căn cước" in card.name.lower() and "commune" in card.levels


def test_unknown_fee_is_not_free(by_code: dict[str, Procedure]):
    # 1.000080: portal value 0 whose text says the People's Council sets the amount.
    fees = by_code["1.000080"].fees
    assert fees and all(f.amount_vnd is None for f in fees if "Hội đồng nhân dân" in f.text)


@pytest.mark.skipif(not RAW_DVC_DIR.is_dir(), reason="raw sources not available")
def test_rebuild_is_byte_identical(tmp_path: Path):
    out = tmp_path / "catalogue.jsonl.gz"
    report = build_catalogue(RAW_DVC_DIR, out)
    assert report.total >= 4000
    assert out.read_bytes() == CATALOGUE_FILE.read_bytes()


def test_no_detail_page_is_shared_across_fields(catalogue: list[Procedure]):
    pages: dict[str, set[str | None]] = {}
    for p in catalogue:
        parts = (p.document_groups, p.steps, p.conditions, p.results)
        if sum(bool(part) for part in parts) >= 2:
            key = repr(parts)
            pages.setdefault(key, set()).add(p.field)
    assert all(len(fields) == 1 for fields in pages.values())
    withheld = [p.code for p in catalogue if p.withheld_sources]
    assert "3.000284" in withheld and len(withheld) < 50

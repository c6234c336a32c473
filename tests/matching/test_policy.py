"""Deployment policy: which procedures are served and which wins a near tie (small catalogue)."""
from bot.catalogue.schema import Procedure
from bot.matching.matcher import Matcher, MatchPolicy


def procedure(code, name, levels=("commune",), type_="STANDARD", province=None, field="Hộ tịch"):
    return Procedure(
        code=code, name=name, field=field, levels=list(levels), type=type_, province=province,
        results=[name], sources=["test"],
    )


CATALOGUE = [
    procedure("1.000001", "Đăng ký khai sinh"),
    procedure("1.000002", "Đăng ký khai sinh", levels=("province",), type_="SPECIFIC", province="Hà Nội"),
    procedure("1.000003", "Cấp giấy phép khai thác cát sỏi", levels=("province",), field="Khoáng sản"),
    procedure("1.000004", "Cấp giấy phép khai thác cát sỏi lòng sông", levels=("commune",), type_="SPECIFIC", province="Lào Cai", field="Khoáng sản"),
    procedure("1.000005", "Kiểm tra nội bộ hồ sơ khai sinh", type_="STANDARD_INTERNAL"),
    procedure("1.000006", "Cấp thẻ căn cước", levels=("ministry",), field="Căn cước"),
    procedure("1.000007", "Cấp thẻ căn cước", levels=("commune",), field="Căn cước"),
]


def codes(result):
    return [c.code for c in result.candidates]


def test_internal_procedures_are_never_offered():
    matcher = Matcher(CATALOGUE)
    assert "1.000005" not in codes(matcher.match("kiểm tra nội bộ hồ sơ khai sinh"))
    assert matcher.match("thủ tục 1.000005").status == "none"


def test_other_provinces_specific_procedures_are_excluded():
    matcher = Matcher(CATALOGUE, MatchPolicy(province="Lào Cai"))
    result = matcher.match("giấy phép khai thác cát sỏi lòng sông")
    assert "1.000004" in codes(result)
    hanoi = Matcher(CATALOGUE, MatchPolicy(province="Hà Nội"))
    assert "1.000004" not in codes(hanoi.match("giấy phép khai thác cát sỏi lòng sông"))


def test_without_a_province_nationwide_procedures_come_first():
    matcher = Matcher(CATALOGUE)
    assert codes(matcher.match("giấy phép khai thác cát sỏi"))[0] == "1.000003"


def test_commune_level_preferred_on_near_ties():
    matcher = Matcher(CATALOGUE)
    assert codes(matcher.match("cấp thẻ căn cước"))[0] == "1.000007"
    assert codes(Matcher(CATALOGUE, MatchPolicy(prefer_commune=False)).match("cấp thẻ căn cước"))[0] in {"1.000006", "1.000007"}


def test_served_levels():
    matcher = Matcher(CATALOGUE, MatchPolicy(levels=frozenset({"ministry"})))
    assert codes(matcher.match("cấp thẻ căn cước")) == ["1.000006"]


def test_a_small_catalogue_scores_every_word():
    # one served procedure has every word, but a catalogue that small has no "everywhere"
    matcher = Matcher(CATALOGUE, MatchPolicy(levels=frozenset({"ministry"})))
    assert matcher.index.scores({"the": 1.0}).any()

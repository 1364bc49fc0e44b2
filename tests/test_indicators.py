"""The indicator catalog: lookups, alias matching, caliber successions."""

import pytest

from linhai_analysis.data.indicators import CATALOG, get_indicator, match_indicator
from linhai_analysis.errors import UnknownIndicatorError


def test_get_indicator_and_bilingual_label():
    assert get_indicator("gdp").label == "地区生产总值 (GDP)"
    with pytest.raises(UnknownIndicatorError, match="unknown indicator 'gpd'; known: .*gdp"):
        get_indicator("gpd")


@pytest.mark.parametrize("text,unit,code", [
    ("其中地方财政收入", "亿元", "general_budget_revenue"),   # old name, same caliber
    ("外贸自营出口总额", "亿美元", "exports_usd"),             # the unit decides the currency
    ("外贸自营出口总额", "亿元", "exports_cny"),
    ("城镇居民人均可支配收入", "元", "urban_disposable_income"),  # current caliber beats the superseded one
    ("银行业金融机构存贷款余额", "亿元", "deposits_and_loans"),    # longest alias wins over 贷款余额
    ("各类研发机构", "家", None),
])
def test_match_indicator(text, unit, code):
    assert match_indicator(text, unit) == code


def test_successions_point_to_catalog_entries():
    for ind in CATALOG.values():
        if ind.superseded_by:
            assert ind.superseded_by in CATALOG
    assert CATALOG["fixed_asset_investment"].comparable_from == 2018

"""The indicator catalog: codes, printed names and aliases, units, growth conventions,
and caliber successions.

Conventions that sources do not print in every sentence are encoded here, once:
GDP and its components grow at comparable (real) prices; fiscal revenue, exports,
retail sales, investment, output and income growth are nominal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import UnknownIndicatorError
from .units import get_unit


@dataclass(frozen=True)
class Revision:
    """A benchmark revision (economic census) that breaks a level series.

    Attributes
    ----------
    year : int
        Census reference year: levels up to this year were restated.
    revised_from : str
        ``YYYY-MM-DD``: documents dated on or after this day carry the revised
        vintage; levels in documents dated before it are on the old basis.
    name : str
        What it was, e.g. ``4th economic census``.
    date_note : str
        Where the date comes from.
    """

    year: int
    revised_from: str
    name: str
    date_note: str = ""

    @property
    def label(self) -> str:
        """Short label of the basis a level carries after this revision."""
        return f"after {self.name} ({self.year})"


#: Economic-census revisions of GDP levels. The 2018 date is printed in the data
#: (source ``cn_2018_census_e23``: NBS announcement of 2019-11-22); for 2023 the data
#: notes give "December 2024" without a day, so the first of the month is used
#: (no Linhai, Taizhou or Zhejiang document in the data falls in that month).
CENSUS_REVISIONS: tuple[Revision, ...] = (
    Revision(2018, "2019-11-22", "4th economic census",
             "NBS announcement of 2019-11-22 (source cn_2018_census_e23)"),
    Revision(2023, "2024-12-01", "5th economic census",
             "announced December 2024 (data notes); the first of that month is used"),
)


@dataclass(frozen=True)
class Indicator:
    """One statistical indicator.

    Attributes
    ----------
    code : str
        Identifier used in every table (``gdp``, ``fiscal_total_revenue``...).
    name_zh : str
        Chinese name as printed in the 2022 report (or the most recent source).
    name_en : str
        English name.
    unit : str
        Canonical unit; observations are converted to it.
    kind : str
        ``flow``, ``stock``, ``rate``, ``per_capita`` or ``count``.
    growth : str
        ``real`` (growth printed at comparable prices), ``nominal`` or ``none``.
    aliases : tuple of str
        Other printed names of the same caliber.
    caliber_note : str
        Caliber caveats an economist must see next to any result.
    superseded_by : str or None
        Code of the caliber that replaced this one (a different indicator).
    comparable_from : int or None
        First year whose levels are comparable with current plans and targets.
    revisions : tuple of Revision
        Benchmark revisions that break the level series (GDP: economic censuses).
    scope : str
        ``place`` (the whole place the row names) or ``sub_area`` (a zone inside it,
        such as an economic development zone): a sub-area figure is never compared
        with a figure of the whole place (see :func:`row_sub_area`).
    """

    code: str
    name_zh: str
    name_en: str
    unit: str
    kind: str
    growth: str
    aliases: tuple[str, ...] = ()
    caliber_note: str = ""
    superseded_by: str | None = None
    comparable_from: int | None = None
    revisions: tuple[Revision, ...] = ()
    scope: str = "place"
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        get_unit(self.unit)  # fail early on a typo in the catalog
        if self.scope not in SCOPES:
            raise ValueError(f"{self.code}: scope must be one of {SCOPES}, not {self.scope!r}")
        object.__setattr__(self, "names", (self.name_zh, *self.aliases))

    @property
    def label(self) -> str:
        """Bilingual label, e.g. ``地区生产总值 (GDP)``."""
        return f"{self.name_zh} ({self.name_en})"

    def benchmark(self, available_date: str, year: int | None = None, status: str = "") -> str:
        """Label of the benchmark basis of a level published on ``available_date``.

        ``""`` for an indicator without revisions; otherwise ``before 4th economic
        census (2018)`` or the label of the latest revision in force on that date.
        A ``preliminary`` level of a year up to a census year predates that census's
        restatement whatever its (possibly assumed) date says.
        """
        if not self.revisions:
            return ""
        done = [r for r in self.revisions if r.revised_from <= str(available_date)
                and not (status == "preliminary" and year is not None and year <= r.year)]
        return done[-1].label if done else f"before {self.revisions[0].name} ({self.revisions[0].year})"


#: What an indicator covers: the whole place, or a zone inside it.
SCOPES = ("place", "sub_area")
#: Label of the sub-area of an indicator whose ``scope`` is ``sub_area`` when a row
#: does not name it (a ``sub_area`` column may name it, e.g. 小蓝经开区).
DEVELOPMENT_ZONE = "开发区 (development zone)"

_I = Indicator
CATALOG: dict[str, Indicator] = {
    i.code: i
    for i in [
        _I("gdp", "地区生产总值", "GDP", "亿元", "flow", "real",
           ("生产总值", "GDP", "国内生产总值"),
           "Levels nominal; growth at comparable prices. Economic censuses restate levels "
           "(2018 levels in Nov 2019, 2023 levels in Dec 2024): levels of different "
           "benchmarks do not chain.", revisions=CENSUS_REVISIONS),
        _I("gdp_primary", "第一产业增加值", "Primary-sector value added", "亿元", "flow", "real",
           revisions=CENSUS_REVISIONS),
        _I("gdp_secondary", "第二产业增加值", "Secondary-sector value added", "亿元", "flow", "real",
           revisions=CENSUS_REVISIONS),
        _I("gdp_tertiary", "第三产业增加值", "Tertiary-sector value added", "亿元", "flow", "real",
           revisions=CENSUS_REVISIONS),
        _I("gdp_per_capita_registered", "按户籍人口计算的人均生产总值",
           "GDP per capita (registered population)", "元", "per_capita", "real",
           ("人均地区生产总值", "人均生产总值")),
        _I("fiscal_total_revenue", "财政总收入", "Total fiscal revenue", "亿元", "flow", "nominal"),
        _I("general_budget_revenue", "一般公共预算收入", "General public budget revenue", "亿元",
           "flow", "nominal", ("地方财政收入", "一般公共财政预算收入"),
           "地方财政收入 (to 2016) and 一般公共预算收入 (from 2017) are one caliber under two names."),
        _I("exports_usd", "外贸自营出口总额", "Exports (USD)", "亿美元", "flow", "nominal",
           ("自营出口总额", "出口总额"), "Printed in 亿美元 up to 2015.",
           superseded_by="exports_cny"),
        _I("exports_cny", "外贸自营出口总额", "Exports (CNY)", "亿元", "flow", "nominal",
           ("自营出口总额", "出口总额"),
           "Printed in 亿元 from 2016; not comparable with the 亿美元 series without an "
           "exchange-rate series."),
        _I("retail_sales", "社会消费品零售总额", "Retail sales of consumer goods", "亿元", "flow",
           "nominal", ("社零总额",)),
        _I("urban_income_legacy", "城镇居民人均可支配收入", "Urban disposable income per capita (pre-2014 caliber)",
           "元", "per_capita", "nominal", (), "Pre-2014 urban household survey caliber.",
           superseded_by="urban_disposable_income"),
        _I("rural_net_income", "农村居民人均纯收入", "Rural net income per capita (pre-2014 caliber)",
           "元", "per_capita", "nominal", (), "Pre-2014 caliber (纯收入).",
           superseded_by="rural_disposable_income"),
        _I("urban_disposable_income", "城镇常住居民人均可支配收入",
           "Urban resident disposable income per capita", "元", "per_capita", "nominal",
           ("城镇居民人均可支配收入",), "Integrated household survey caliber from 2014."),
        _I("rural_disposable_income", "农村常住居民人均可支配收入",
           "Rural resident disposable income per capita", "元", "per_capita", "nominal",
           ("农村居民人均可支配收入",), "Integrated household survey caliber from 2014."),
        _I("industrial_output_above_scale", "规上工业总产值",
           "Gross industrial output above designated size", "亿元", "flow", "nominal",
           ("规模以上工业总产值",)),
        _I("industrial_value_added_above_scale", "规上工业增加值",
           "Industrial value added above designated size", "亿元", "flow", "real",
           ("规模以上工业增加值",)),
        _I("fixed_asset_investment", "固定资产投资", "Fixed-asset investment", "亿元", "flow",
           "nominal", (),
           "Levels before 2018 use the old statistical caliber and are not comparable with "
           "later plans (FAI statistical reform).", comparable_from=2018),
        _I("industrial_investment", "工业性投资", "Industrial investment", "亿元", "flow", "nominal"),
        _I("fdi_actual_usd", "实际利用外资", "Foreign direct investment actually used", "万美元",
           "flow", "nominal", ("实际使用外资",)),
        _I("hightech_share_of_industrial_va", "高新技术产业增加值占规上工业增加值比重",
           "High-tech share of industrial value added", "%", "rate", "none"),
        _I("agri_gross_output", "农林牧渔业总产值", "Gross output of agriculture, forestry, "
           "animal husbandry and fishery", "亿元", "flow", "real"),
        _I("agri_value_added", "农林牧渔业增加值", "Value added of agriculture, forestry, animal "
           "husbandry and fishery", "亿元", "flow", "real"),
        _I("resident_population", "常住人口", "Resident population", "万人", "stock", "nominal"),
        _I("registered_population", "户籍人口", "Registered population", "万人", "stock", "nominal"),
        _I("urbanization_rate", "常住人口城镇化率", "Urbanization rate (resident population)", "%",
           "rate", "none", ("城镇化率",)),
        _I("rd_intensity", "研发投入强度", "R&D spending as % of GDP", "%", "rate", "none",
           ("R&D经费支出占GDP比重", "研发经费投入强度", "研发经费支出占地区生产总值比重")),
        _I("hightech_enterprises", "国家高新技术企业", "National high-tech enterprises", "家",
           "count", "none", ("高新技术企业",)),
        _I("tech_smes", "省科技型中小企业", "Provincial tech-based SMEs", "家", "count", "none",
           ("省级科技型中小企业", "科技型中小企业")),
        _I("loans_outstanding", "各项贷款余额", "Loans outstanding", "亿元", "stock", "nominal",
           ("贷款余额",)),
        _I("small_business_loans", "小微企业贷款余额", "Loans to small and micro firms", "亿元",
           "stock", "nominal"),
        _I("deposits_and_loans", "银行业金融机构存贷款余额", "Bank deposits and loans outstanding",
           "亿元", "stock", "nominal", ("存贷款余额",)),
        _I("listed_companies", "上市企业", "Listed companies", "家", "count", "none",
           ("上市公司",)),
        _I("built_up_area", "建成区面积", "Built-up area", "平方公里", "stock", "nominal", ("建成区",)),
        _I("port_throughput", "年吞吐量", "Port cargo throughput", "万吨", "flow", "nominal",
           ("货物年吞吐量", "吞吐量")),
        _I("urban_unemployment_rate", "城镇登记失业率", "Registered urban unemployment rate", "%",
           "rate", "none"),
        _I("new_urban_jobs", "城镇新增就业", "New urban jobs", "万人", "flow", "none",
           ("新增城镇就业",)),
        _I("general_budget_expenditure", "一般公共预算支出", "General public budget expenditure", "亿元",
           "flow", "nominal", ("地方公共预算支出", "一般公共财政预算支出"),
           "Spending side of the budget; 地方公共预算支出 is an older name of the same caliber."),
        _I("gdp_per_capita_resident", "按常住人口计算的人均生产总值", "GDP per capita (resident population)",
           "元", "per_capita", "real", ("按常住人口计算人均生产总值",),
           "Divided by the resident (常住) population; not comparable with the registered-population "
           "basis (gdp_per_capita_registered) nor with a figure whose basis is not printed."),
        _I("gdp_per_capita", "人均GDP", "GDP per capita (population basis not printed)", "元",
           "per_capita", "real", (),
           "The document does not say whether resident or registered population is the divisor; "
           "never compared with either basis."),
        _I("resident_disposable_income", "全体居民人均可支配收入",
           "Disposable income per capita (all residents)", "元", "per_capita", "nominal", (),
           "All residents, urban and rural together (integrated household survey); not the urban "
           "or rural series."),
        _I("edz_operating_revenue", "经开区营业收入", "Operating revenue of the development zone", "亿元",
           "flow", "nominal", (),
           "Enterprises of an economic and technological development zone inside the county only "
           "(南昌县: 小蓝经开区); a sub-area, never compared with county figures. Operating revenue "
           "(营业收入) is a sales total, not value added.", scope="sub_area"),
        _I("edz_industrial_output", "经开区工业总产值", "Gross industrial output of the development zone",
           "亿元", "flow", "nominal", (),
           "The development zone only (南昌县: 小蓝经开区); a sub-area, never compared with county "
           "figures. Gross output at current prices.", scope="sub_area"),
        _I("cpi", "居民消费价格", "Consumer prices (change on a year earlier)", "%", "rate", "none",
           ("居民消费价格指数", "CPI"), "Printed as the year-on-year change in growth_pct."),
    ]
}


#: Codes used in other files for an indicator the catalog holds under another code:
#: the same printed name, unit and caliber (applied by the place-file loaders).
CODE_SYNONYMS: dict[str, str] = {
    "urban_registered_unemployment_rate": "urban_unemployment_rate",  # 城镇登记失业率, %
    "new_urban_employment": "new_urban_jobs",  # 城镇新增就业(人员), 万人
}

#: Codes that are refused, with the reason: mapping them onto a catalog entry would
#: be a guess. A file that needs one should use the catalog code it means.
REFUSED_CODES: dict[str, str] = {
    "exports": "exports printed without a currency (出口总额增长…): the catalog keeps exports in "
               "US dollars (exports_usd) and in yuan (exports_cny), whose growth rates differ by the "
               "exchange rate; which one the document means is not printed",
    "fdi_actual": "foreign investment actually used (实际利用外资) printed without a currency: the "
                  "catalog holds it in US dollars (fdi_actual_usd); a growth rate in yuan would differ",
    "fai_growth": "names a growth rate, not an indicator; the printed caliber is investment in projects "
                  "of 5 million yuan and above (500万元以上固定资产投资), and the catalog's "
                  "fixed_asset_investment is not documented as that caliber",
}


def get_indicator(code: str) -> Indicator:
    """Return the catalog entry for ``code`` (a synonym in :data:`CODE_SYNONYMS` is
    resolved to its catalog code).

    Raises
    ------
    UnknownIndicatorError
        If the code is not in :data:`CATALOG`: for a code in :data:`REFUSED_CODES` the
        message gives the reason it is refused; otherwise it lists the known codes.
    """
    code = CODE_SYNONYMS.get(code, code)
    try:
        return CATALOG[code]
    except KeyError:
        if code in REFUSED_CODES:
            raise UnknownIndicatorError(
                f"indicator {code!r} is refused, not guessed: {REFUSED_CODES[code]}") from None
        raise UnknownIndicatorError(
            f"unknown indicator {code!r}; known: {', '.join(sorted(CATALOG))}"
        ) from None


def row_sub_area(code: str, given: str | None = None) -> str:
    """The sub-area a row is about: ``given`` (a ``sub_area`` column) when it names one,
    :data:`DEVELOPMENT_ZONE` for an indicator whose ``scope`` is ``sub_area``, and
    ``""`` (the whole place) otherwise.

    Examples
    --------
    >>> row_sub_area("edz_operating_revenue")
    '开发区 (development zone)'
    >>> row_sub_area("gdp"), row_sub_area("gdp", "小蓝经开区")
    ('', '小蓝经开区')
    """
    given = "" if given is None or (isinstance(given, float) and given != given) else str(given).strip()
    if given:
        return given
    ind = CATALOG.get(CODE_SYNONYMS.get(code, code))
    return DEVELOPMENT_ZONE if ind is not None and ind.scope == "sub_area" else ""


def _alias_index() -> list[tuple[str, str]]:
    pairs = [(name, ind.code) for ind in CATALOG.values() for name in ind.names]
    return sorted(pairs, key=lambda p: -len(p[0]))


ALIAS_INDEX: list[tuple[str, str]] = _alias_index()


@lru_cache(maxsize=8192)
def match_indicator(text: str, unit: str | None = None) -> str | None:
    """Find the catalog code whose printed name (or alias) ends ``text`` best.

    The longest alias contained in ``text`` wins; among indicators sharing that
    alias, one whose unit has the dimension of ``unit`` is preferred, then a current
    caliber over a superseded one.

    Parameters
    ----------
    text : str
        Indicator text as printed, e.g. ``"全市实现地区生产总值"``.
    unit : str, optional
        Unit of the figure the text labels; used to tell 亿元 from 亿美元 series.

    Returns
    -------
    str or None
        The code, or ``None`` when no alias occurs in ``text``.

    Examples
    --------
    >>> match_indicator("外贸自营出口总额", "亿美元")
    'exports_usd'
    >>> match_indicator("外贸自营出口总额", "%")
    'exports_cny'
    """
    for name, _ in ALIAS_INDEX:
        if name in text:
            codes = [c for n, c in ALIAS_INDEX if n == name]
            break
    else:
        return None
    if len(codes) > 1 and unit:
        try:
            dim = get_unit(unit).dimension
        except Exception:  # noqa: BLE001 - an odd unit only loses the tie-break
            dim = None
        same = [c for c in codes if get_unit(CATALOG[c].unit).dimension == dim]
        codes = same or codes
    current = [c for c in codes if CATALOG[c].superseded_by is None]
    return (current or codes)[0]

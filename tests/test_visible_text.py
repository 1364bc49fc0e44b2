"""The visible-text checker itself: it sees what a reader sees and flags what a reader should not."""

from visible_text import identifiers, page_identifiers, visible_text

PAGE = """<!DOCTYPE html><html class="reader"><head><title>02 reconciliation</title>
<style>.x_y{color:red}</style><script>var exports_cny = 1;</script></head><body>
<div class="jp-Cell jp-CodeCell jp-Notebook-cell">
 <div class="jp-Cell-inputWrapper"><div class="jp-InputArea"><pre>show(rec, ["p_rw_drift"])</pre></div></div>
 <div class="jp-Cell-outputWrapper"><div class="jp-OutputArea"><table><thead><tr><th>implied_revision_pct</th>
 <th>verdict</th></tr></thead><tbody><tr><td>1.2</td><td>not_checkable</td></tr></tbody></table>
 <img src="data:image/png;base64,AA" alt="exports_usd by year (figure)"></div></div></div>
<div class="jp-Cell jp-CodeCell jp-mod-noOutputs"><div class="jp-InputArea"><pre>x_hidden = 1</pre></div></div>
<div class="jp-Cell jp-MarkdownCell"><div class="jp-Cell-inputWrapper"><div class="jp-RenderedMarkdown">
<h2>Findings</h2><p>The gdp trend (ols) and GDP by OLS; see <a href="tables/claims.csv">tables/claims.csv</a>,
linhai_tables.xlsx and 02_reconciliation.html or https://example.org/a_b_c. The model is anchored.</p>
</div></div></div>
<details><summary>Run parameters</summary><pre>as_of: 2022-02-17 user_series: []</pre></details>
<details><summary>More rows</summary><ul><li>rural_net_income · basis_mismatch</li></ul></details>
</body></html>"""


def test_visible_text_keeps_what_a_reader_sees_and_drops_code():
    text = visible_text(PAGE)
    assert "02 reconciliation" in text  # the title
    assert "implied_revision_pct" in text and "not_checkable" in text  # table header and cell
    assert "exports_usd by year (figure)" in text  # alt text
    assert "Findings" in text and "rural_net_income" in text  # headings, folded lists
    for hidden in ("exports_cny", "p_rw_drift", "x_hidden", "color:red", "user_series"):
        assert hidden not in text, hidden


def test_identifiers_flags_codes_and_spares_files_urls_and_words():
    # by hand, in page order: header, cell, alt text, gdp, ols, folded list (two)
    assert page_identifiers(PAGE) == ["implied_revision_pct", "not_checkable", "exports_usd", "gdp", "ols",
                                      "rural_net_income", "basis_mismatch"]
    assert identifiers("see tables/targets_summary.csv, linhai_tables.xlsx and 01_claims.html.") == []
    assert identifiers("GDP, CPI and OLS; anchored and combined; gdp_per_capita.") == ["gdp_per_capita"]
    assert identifiers("cpi, (rw_drift), last_cagr:") == ["cpi", "rw_drift", "last_cagr"]


def test_identifiers_next_to_chinese_and_in_double_extensions():
    assert identifiers("报告exports_cny增长, gdp的") == ["exports_cny", "gdp"]
    assert identifiers("Source text: linhai_2022_report.forum_page.txt. Data") == []

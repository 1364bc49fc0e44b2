"""The annotated page in headless Chromium: one highlight per claim, a selection shows
its check, keyboard selection works, and nothing is wider than the viewport at 1280 px
and at 390 px (a phone)."""

import json
import os
import re
import shutil
import subprocess

import pytest

from linhai_analysis.assess.reconcile import reconcile
from linhai_analysis.data.vintage import Vintage
from linhai_analysis.report.annotate import annotated_page, claim_checks

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]

#: Runs on load: counts the marks, clicks the first discrepancy, selects another mark with
#: the keyboard, and measures the widest element; the result goes into data-probe.
PROBE = """<script>window.addEventListener('load', function(){
var marks=[].slice.call(document.querySelectorAll('mark[data-claim-id]'));
var out={marks:marks.length, ids:marks.map(function(m){return m.getAttribute('data-claim-id');})};
var d=document.querySelector('mark[data-verdict=discrepancy]')||marks[0];
d.click();
var p=document.getElementById('panel');
out.clicked=d.getAttribute('data-claim-id');out.panel_visible=!p.hidden&&p.offsetHeight>0;
out.panel_text=p.textContent;out.expanded=d.getAttribute('aria-expanded');
out.panel_after_paragraph=p.previousElementSibling===d.closest('p,h2,h3');
var k=marks[marks.length-1];k.focus();
k.dispatchEvent(new KeyboardEvent('keydown',{key:'Enter',bubbles:true}));
out.key_selected=k.getAttribute('aria-expanded')==='true'&&!p.hidden;
out.focusable=marks.filter(function(m){return m.tabIndex===0;}).length;
var vw=document.documentElement.clientWidth, widest=0, what='';
[].slice.call(document.querySelectorAll('body *')).forEach(function(el){
 var r=el.getBoundingClientRect(); if(r.width>0&&r.right>widest){widest=r.right;what=el.tagName+'.'+el.className;}});
out.viewport=vw;out.widest=widest;out.widest_el=what;out.scroll_width=document.documentElement.scrollWidth;
document.body.setAttribute('data-probe', JSON.stringify(out));});</script>"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (.ci/run) for the browser tests")
        pytest.skip("headless Chromium not installed (apt-get install chromium); CI installs it")
    return found


def probe(page: str, tmp_path, width: int, name: str = "page.html") -> dict:
    copy = tmp_path / name
    copy.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = subprocess.run([chromium(), *FLAGS, f"--window-size={width},900", "--virtual-time-budget=5000",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", copy.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    m = re.search(r"data-probe=\"([^\"]*)\"", dom)
    assert m, "the probe did not run"
    import html

    return json.loads(html.unescape(m.group(1)))


@pytest.fixture(scope="module")
def page(report, claims, obs):
    rec = reconcile(claims, Vintage(obs, as_of="2022-02-17"))
    return annotated_page(report, claim_checks(claims, reconciliation=rec, lang="zh"), lang="zh")


@pytest.mark.parametrize("width", [1280, 390])
def test_annotated_page_in_a_browser(page, claims, tmp_path, width):
    out = probe(page, tmp_path, width)
    # one highlight per claim of the claims table, in the table's order
    assert out["marks"] == len(claims) and out["ids"] == list(claims["claim_id"])
    assert out["focusable"] == len(claims)
    # clicking the exports discrepancy shows its check in place, under its paragraph
    assert out["clicked"] == "linhai_gwr_2022-008" and out["expanded"] == "true"
    assert out["panel_visible"] and out["panel_after_paragraph"]
    for text in ("13.2", "174.3亿元", "linhai_gwr_2017", "CAGR of nominal levels 2016->2021", "工作表 reconciliation"):
        assert text in out["panel_text"], text
    assert out["key_selected"]  # Enter on a focused mark selects it
    # nothing wider than the viewport
    assert out["scroll_width"] <= out["viewport"], out
    assert out["widest"] <= out["viewport"] + 0.5, out

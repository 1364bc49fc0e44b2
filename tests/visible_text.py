"""What a reader sees on a rendered page, and the internal identifiers in it.

The editorial rule (issue 19): visible text never shows an internal identifier. This
helper takes a rendered page (notebook page, index or annotated page) and returns

- :func:`visible_text`: the text a reader sees with the page as delivered (reader mode,
  code hidden): headings, prose, table headers and cells, captions, list items, figure
  alt text. Left out: ``<head>`` (except ``<title>``), ``<script>``, ``<style>``, code
  cells' input (hidden by the ``reader`` class: ``.jp-CodeCell .jp-Cell-inputWrapper``,
  code cells without output, In/Out prompts), and the two ``<details>`` blocks of the
  index that are the run's record for a machine as much as for a reader ("Run
  parameters", "Input data (sha256)").
- :func:`identifiers`: the internal identifiers in a text:

  * any token joined by underscores (``exports_cny``, ``p_rw_drift``, ``not_checkable``,
    ``linhai_gwr_2022``) that is not a file name (``linhai_tables.xlsx``,
    ``02_reconciliation.html``), a path (``tables/claims.csv``) or inside a URL;
  * catalog codes and model codes with no underscore that are not words: ``gdp``,
    ``cpi``, ``ols`` as lowercase standalone tokens (``GDP``, ``CPI`` and ``OLS`` are
    the usual abbreviations and are fine; ``anchored``, ``combined`` are English words).

Rules decided here (and documented for the report layer): a source is cited by its
title, not its ``source_id``; verdicts, models and samples appear as labels from
``linhai_analysis.report.labels``; columns appear under headers from
``labels.header``; indicators by catalog name in the page's language.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from linhai_analysis.data.indicators import CATALOG
from linhai_analysis.models.trend import MODELS

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr"}
_SKIP_TAGS = {"script", "style", "head", "noscript", "template"}
#: ``<details>`` whose summary starts so are the run's record, not prose.
ALLOWED_DETAILS = ("Run parameters", "Input data (sha256)", "运行参数", "输入数据")
_BLOCK = {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "caption", "table",
          "summary", "details", "pre", "section", "ul", "ol", "figcaption", "dd", "dt", "header", "footer", "aside"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden by this element)
        self.hidden = 0
        self.parts: list[str] = []
        self.in_title = False
        self.classes: list[set[str]] = []
        self.details_pending: list[int] = []  # stack index of open <details> awaiting their summary

    def _hides(self, tag: str, attrs: dict[str, str | None]) -> bool:
        cls = set((attrs.get("class") or "").split())
        if tag in _SKIP_TAGS:
            return True
        if "hidden" in attrs or "display:none" in (attrs.get("style") or "").replace(" ", ""):
            return True
        in_code_cell = any("jp-CodeCell" in c for c in self.classes) or "jp-CodeCell" in cls
        if in_code_cell and ("jp-Cell-inputWrapper" in cls or "jp-InputArea" in cls):
            return True
        if "jp-CodeCell" in cls and "jp-mod-noOutputs" in cls:
            return True
        return bool(cls & {"jp-InputPrompt", "jp-OutputPrompt"})

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = dict(attrs_list)
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag == "img" and not self.hidden and attrs.get("alt"):
            self.parts.append(f"\n{attrs['alt']}\n")
        if tag in _VOID:
            return
        hides = self._hides(tag, attrs)
        self.stack.append((tag, hides))
        self.classes.append(set((attrs.get("class") or "").split()))
        if hides:
            self.hidden += 1
        if tag == "details":
            self.details_pending.append(len(self.stack) - 1)

    def handle_startendtag(self, tag: str, attrs_list) -> None:
        if tag == "img":
            self.handle_starttag(tag, attrs_list)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _VOID or not any(t == tag for t, _ in self.stack):
            return
        while self.stack:  # close up to the matching tag (tolerates unclosed children)
            t, hides = self.stack.pop()
            self.classes.pop()
            if hides:
                self.hidden -= 1
            if self.details_pending and self.details_pending[-1] >= len(self.stack):
                self.details_pending.pop()
            if t == tag:
                break
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.parts.append(data + "\n")
            return
        if self.hidden:
            return
        top = self.stack[-1][0] if self.stack else ""
        if top == "summary" and self.details_pending and data.strip().startswith(ALLOWED_DETAILS):
            # hide the whole <details>: mark it as hiding from here to its end
            idx = self.details_pending[-1]
            t, hides = self.stack[idx]
            if not hides:
                self.stack[idx] = (t, True)
                self.hidden += 1
            return
        self.parts.append(data)


def visible_text(page: str) -> str:
    """The text a reader sees on ``page`` (HTML) as delivered: see the module docstring."""
    parser = _Visible()
    parser.feed(page)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n\s*\n+", "\n", text).strip()


_URL = re.compile(r"(?:https?|file)://\S+|www\.\S+")
_UNDERSCORED = re.compile(r"(?<![A-Za-z0-9_./\\-])[A-Za-z0-9_]*_[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(?![A-Za-z0-9_/])")
_FILE_EXT = re.compile(r"\.(?:html|csv|xlsx|ipynb|txt|json|pdf|png|md|py|parquet|zip)$", re.IGNORECASE)
#: Codes with no underscore that are not words; matched lowercase and standalone.
BARE_CODES = tuple(sorted({k for k in CATALOG if "_" not in k} | {m for m in MODELS if "_" not in m}))
_BARE = re.compile(r"(?<![A-Za-z0-9_./-])(" + "|".join(map(re.escape, BARE_CODES)) + r")(?![A-Za-z0-9_/-])")


def identifiers(text: str) -> list[str]:
    """Every internal identifier in ``text`` (in order, repeated as often as it occurs)."""
    text = _URL.sub(" ", text)
    found: list[tuple[int, str]] = []
    for m in _UNDERSCORED.finditer(text):
        token = m.group(0)
        if _FILE_EXT.search(token):
            continue  # a file name: 02_reconciliation.html, linhai_tables.xlsx
        found += [(m.start(), part) for part in token.split(".") if "_" in part.strip("_")]
    found += [(m.start(), m.group(1)) for m in _BARE.finditer(text)]
    return [tok for _, tok in sorted(found)]


def page_identifiers(page: str) -> list[str]:
    """:func:`identifiers` in the :func:`visible_text` of ``page``."""
    return identifiers(visible_text(page))


def context(page: str, token: str, width: int = 60) -> list[str]:
    """Where ``token`` occurs in the visible text of ``page`` (for an error message)."""
    text = visible_text(page)
    return [text[max(0, m.start() - width): m.end() + width].replace("\n", " ⏎ ")
            for m in re.finditer(re.escape(token), text)]

"""A published web page as Markdown: its main content only, every tab of it, tables as rows.

Career pages come as a site serves them: menus, banners, share and print widgets, help pop-ups,
footers, and content split into tabs that are hidden until clicked. General boilerplate signals
decide what is chrome (semantic tags, ARIA roles, class and id words, screen-only widgets, link
density); nothing here knows any one site. Tab panes stay (they are the targets of the page's
own in-page links) and get the tab's label as their heading. Tables become ``label: value``
lines, which the chunker keeps as quotable units.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html as lxml_html
from lxml.etree import ParserError
from lxml.html import HtmlElement

# Elements that never hold guide text.
_DROP_TAGS = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "form", "button", "select", "input", "textarea", "img", "picture", "video", "audio", "map",
    "dialog", "link", "meta",
}  # fmt: skip
# Page chrome by element: dropped unless it holds the page's heading (some sites put the h1 in
# a <header>) or most of the page's text.
_CHROME_TAGS = {"nav", "header", "footer", "aside"}
_CHROME_ROLES = {
    "navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog",
    "menu", "menubar", "toolbar", "tablist", "tooltip",
}  # fmt: skip
# Class or id words that mark chrome on most sites.
_CHROME_WORDS = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer", "sidebar",
    "share", "sharing", "social", "print", "printer", "noprint", "cookie", "cookies", "banner",
    "subscribe", "newsletter", "skip", "toolbar", "pagination", "pager", "advert", "advertisement",
    "ads", "promo", "popup", "modal", "tabs", "tablist", "sronly", "sr-only", "visually-hidden",
    "screen-reader-text", "hidden", "comments", "disqus", "signup", "login",
}  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SITE_SEPARATOR = re.compile(r"\s+(?:[|:–—-]|::)\s+")
_BLOCKS = {
    "p", "div", "section", "article", "main", "ul", "ol", "li", "table", "dl", "dt", "dd",
    "blockquote", "pre", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
    "th", "thead", "tbody", "tfoot", "caption", "header", "footer", "aside", "nav", "hr", "address",
    "details", "summary", "body", "center", "fieldset", "legend",
}  # fmt: skip


def _text(el: HtmlElement, sep: str = " ") -> str:
    """Whitespace-collapsed text of ``el`` in reading order; ``<br>`` becomes ``sep``."""
    parts: list[str] = []

    def visit(node: HtmlElement) -> None:
        if node.tag == "br":
            parts.append(sep)
        elif isinstance(node.tag, str) and node.tag not in _DROP_TAGS:
            parts.append(node.text or "")
            for child in node:
                visit(child)
                parts.append(child.tail or "")

    visit(el)
    return _squash("".join(parts))


def _squash(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).replace(" ;", ";")
    # runs of separators ("a; ; b") become one; a ";" inside a word ("&amp;lt;") stays as written
    return re.sub(r";(?:\s*;)*(?:\s+|$)", "; ", text).strip(" ;")


def _words_of(el: HtmlElement) -> set[str]:
    """Class and id words, compounds split ("site-footer" → footer; "no-footer" says the opposite)."""
    raw = f"{el.get('class', '')} {el.get('id', '')}".lower()
    tokens = {t for t in re.split(r"[\s_]+", raw) if t}
    return tokens | {w for t in tokens if not t.startswith(("no-", "has-", "with-")) for w in t.split("-")}


def page_title(root: HtmlElement) -> str:
    """The page's own heading: its ``h1``, else ``og:title``, else ``<title>`` less the site name."""
    for h1 in root.iter("h1"):
        text = _squash(h1.text_content())
        if text:
            return text
    for meta in root.iter("meta"):
        if meta.get("property") == "og:title" and _squash(meta.get("content", "")):
            return _squash(meta.get("content", ""))
    for title in root.iter("title"):
        text = _squash(title.text_content())
        if text:
            return _SITE_SEPARATOR.split(text)[0].strip()
    return ""


def _tab_labels(root: HtmlElement) -> dict[str, str]:
    """id of a tab pane → its tab's label, from runs of in-page links ("#tab-2": "What They Do").

    A pane is a block holding a heading or real text; the first link naming it gives the label.
    """
    labels: dict[str, str] = {}
    boxes = [
        el for el in root.iter("ul", "ol", "nav", "div") if el.tag != "div" or el.get("role") == "tablist"
    ]
    for box in boxes:
        links = [
            a for a in box.iter("a") if len(a.get("href") or "") > 1 and a.get("href", "").startswith("#")
        ]
        found: dict[str, str] = {}
        for a in links:
            found.setdefault(
                a.get("href", "")[1:], _squash(re.sub(r"[<>←→«»]+|-+>|<-+", " ", a.text_content()))
            )
        short = all(label and len(label.split()) <= 6 for label in found.values())
        if len(found) >= 2 and short and _link_heavy(box):
            for target, label in found.items():
                labels.setdefault(target, label)
    return {k: v for k, v in labels.items() if _is_pane(root.get_element_by_id(k, None))}


def _is_pane(el: HtmlElement | None) -> bool:
    if el is None or el.tag not in ("div", "section", "article", "main"):
        return False
    has_heading = any(True for _ in el.iter("h1", "h2", "h3", "h4"))
    return has_heading or len(el.text_content()) > 200


def _strip_chrome(root: HtmlElement, body_chars: int, keep_ids: set[str]) -> None:
    doomed: list[HtmlElement] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            doomed.append(el)  # comments, processing instructions
            continue
        if el.tag in _DROP_TAGS:
            doomed.append(el)
            continue
        href = (el.get("href") or "").strip().lower()
        if el.tag == "a" and (href == "#" or href.startswith("javascript:")):
            doomed.append(el)  # a scripted control ("Print", "Share"), not a link to anything
            continue
        if el.get("id") in keep_ids:
            continue
        hidden = (
            el.get("hidden") is not None
            or el.get("aria-hidden") == "true"
            or bool(_HIDDEN_STYLE.search(el.get("style", "")))
        )
        chrome = (
            el.tag in _CHROME_TAGS
            or (el.get("role") or "").lower() in _CHROME_ROLES
            or (bool(_words_of(el) & _CHROME_WORDS) and not _sole_content(el))
        )
        hidden_chrome = hidden and not any(d.get("id") in keep_ids for d in el.iter())
        page_chrome = (
            chrome and el.tag not in ("body", "html") and not _holds_content(el, body_chars, keep_ids)
        )
        if hidden_chrome or page_chrome:
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()  # keeps the tail text, which belongs to the parent


def _sole_content(el: HtmlElement) -> bool:
    """Whether ``el`` is all the text of a cell, heading or item (a row label styled as a widget)."""
    parent = el.getparent()
    if parent is None or parent.tag not in ("th", "td", "dt", "dd", "li", "p", "h1", "h2", "h3", "h4"):
        return False
    return _squash(parent.text_content()) == _squash(el.text_content()) != ""


def _holds_content(el: HtmlElement, body_chars: int, keep_ids: set[str]) -> bool:
    if any(True for _ in el.iter("h1", "main", "article")):
        return True
    if any(d.get("id") in keep_ids for d in el.iter()):
        return True
    return len(el.text_content()) > 0.4 * body_chars


def _link_heavy(el: HtmlElement) -> bool:
    """A list or block that is mostly links: a menu or "related links", not guide text."""
    text = _squash(el.text_content())
    if not text:
        return True
    linked = sum(len(_squash(a.text_content())) for a in el.iter("a"))
    return linked / len(text) > 0.7


def _span(cell: HtmlElement, name: str) -> int:
    value = (cell.get(name) or "1").strip()
    return max(1, min(int(value), 50)) if value.isdigit() else 1


def _grid(rows: list[HtmlElement]) -> list[list[tuple[str, bool]]]:
    """Rows as (text, is header cell), each cell repeated over its ``colspan`` and ``rowspan``."""
    grid: list[list[tuple[str, bool]]] = []
    carry: dict[int, tuple[int, tuple[str, bool]]] = {}  # column → (rows left, cell) from rowspans
    for tr in rows:
        row: list[tuple[str, bool]] = []
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        while cells or any(col >= len(row) for col in carry):
            col = len(row)
            if col in carry:
                left, cell = carry[col]
                row.append(cell)
                if left <= 1:
                    del carry[col]
                else:
                    carry[col] = (left - 1, cell)
                continue
            if not cells:
                row.append(("", False))
                continue
            c = cells.pop(0)
            value = (_text(c, "; "), c.tag == "th")
            for k in range(_span(c, "colspan")):
                row.append(value)
                if _span(c, "rowspan") > 1:
                    carry[col + k] = (_span(c, "rowspan") - 1, value)
        grid.append(row)
    return grid


def _table_rows(table: HtmlElement) -> tuple[str, list[str]]:
    """A table's title (a caption or one header cell over the whole table) and its rows as
    ``label: value`` lines; with several columns, ``label: column: value; column: value``."""
    caption = table.find(".//caption")
    title = _squash(caption.text_content()) if caption is not None else ""
    placed = [(tr, parent.tag) for tr in table.iter("tr") if (parent := tr.getparent()) is not None]
    foot = [tr for tr, parent_tag in placed if parent_tag == "tfoot"]
    body = [tr for tr, parent_tag in placed if parent_tag != "tfoot"]
    grid = [r for r in _grid(body) if any(t for t, _ in r)]
    width = max((len(r) for r in grid), default=0)
    header: list[str] = []
    out: list[str] = []
    for row in grid:
        texts = [t for t, _ in row]
        if width > 1 and len(set(texts)) == 1 and row[0][1] and not out:  # one cell over it all
            title = title or texts[0]
            continue
        if all(is_th for _, is_th in row) and not out:
            # Header rows, possibly two levels ("Change, 2024-34" over "Percent" | "Numeric").
            header = [
                f"{a} ({b})" if a and b and a != b else a or b
                for a, b in zip(header or [""] * len(texts), texts, strict=False)
            ] + texts[len(header or texts) :]
            continue
        filled = list(dict.fromkeys((i, t) for i, t in enumerate(texts) if t))
        distinct = list(dict.fromkeys(t for _, t in filled))
        if len(distinct) == 1:
            out.append(distinct[0])
            continue
        label = filled[0][1]
        values = [(i, t) for i, t in filled[1:] if t != label]
        if len(values) == 1 and len(header) <= 2:
            out.append(f"{label}: {values[0][1]}")
            continue
        named = [f"{header[i]}: {t}" if i < len(header) and header[i] else t for i, t in values]
        out.append(f"{label}: " + "; ".join(dict.fromkeys(named)))
    out += [t for r in _grid(foot) for t in dict.fromkeys(t for t, _ in r) if t]
    return title, out


class _Writer:
    """Walks the cleaned tree and writes Markdown lines, noting which of them are headings."""

    def __init__(self, tabs: dict[str, str]) -> None:
        self.tabs = tabs
        self.lines: list[str] = []
        self.heads: dict[int, tuple[int, str]] = {}  # line index → (level, text) of a heading
        self.level = 1  # the level of the last heading written
        self.pending_tab: str | None = None

    def heading(self, level: int, text: str) -> None:
        if self.pending_tab is not None:
            label, self.pending_tab = self.pending_tab, None
            if label.lower() != text.lower():
                text = f"{label}: {text}" if level <= 2 else label
                if level > 2:
                    self.heading(2, label)
                    self.heading(level, text)
                    return
        self.level = level
        self.heads[len(self.lines)] = (level, text)
        self.lines += [f"{'#' * level} {text}", ""]

    def para(self, text: str) -> None:
        if text:
            self.lines += [text, ""]

    def walk(self, el: HtmlElement) -> None:
        tab = self.tabs.get(el.get("id", ""))
        if tab:
            self.pending_tab = tab
        tag = el.tag
        if not isinstance(tag, str):
            return  # a comment or processing instruction (callers pass elements only)
        if re.fullmatch(r"h[1-6]", tag):
            text = _squash(el.text_content())
            if text:
                self.heading(int(tag[1]), text)
            return
        if tag == "table":
            title, rows = _table_rows(el)
            if title:
                self.heading(min(self.level + 1, 6), title)
            for row in rows:  # a block each: a long row stays a line of its own, not a paragraph
                self.lines += [row, ""]
            return
        if tag in ("ul", "ol"):
            if _link_heavy(el):
                return
            for li in el:
                if isinstance(li.tag, str) and li.tag == "li":
                    self.item(li)
            self.lines.append("")
            return
        if tag == "dl":
            self.definitions(el)
            return
        if tag in ("p", "blockquote", "pre", "figcaption", "address", "summary", "legend"):
            if el.find(".//a") is not None and _link_heavy(el) and len(el.text_content()) < 160:
                return  # a line that is only a link ("more on O*NET: …"): navigation, not guide text
            self.para(_text(el))
            return
        self.mixed(el)

    def item(self, li: HtmlElement) -> None:
        nested = [c for c in li if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
        for c in nested:
            li.remove(c)
        text = _text(li)
        if text:
            self.lines.append(f"- {text}")
        for c in nested:
            for sub in c:
                if isinstance(sub.tag, str) and sub.tag == "li":
                    self.item(sub)

    def definitions(self, dl: HtmlElement) -> None:
        term = ""
        for c in dl:
            if not isinstance(c.tag, str):
                continue
            text = _text(c, "; ")
            if c.tag == "dt":
                term = text
            elif c.tag == "dd" and text:
                self.lines += [f"{term}: {text}" if term else text, ""]
                term = ""
        self.lines.append("")

    def mixed(self, el: HtmlElement) -> None:
        """A container: its blocks in order, loose inline text between them as paragraphs."""
        run: list[str] = [el.text or ""]
        for child in el:
            if not isinstance(child.tag, str):
                run.append(child.tail or "")
                continue
            if child.tag in _BLOCKS or any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in child.iter()):
                self.para(_squash("".join(run)))
                run = []
                self.walk(child)
            else:
                run.append(_text(child) + " ")
            run.append(child.tail or "")
        self.para(_squash("".join(run)))


Heading = tuple[int, int, str]  # (level, index of the line after the heading, text)


def page_outline(page: str) -> tuple[str, list[str], list[Heading]]:
    """``(title, lines, headings)`` of an HTML page: the lines ``page_to_markdown`` writes and
    which of them are the page's own headings (``h1``-``h6`` and table titles).

    The headings are known from the page's tags, not read back from the Markdown, so a page's
    literal text that looks like Markdown ("# …", "<pre>", "```", "<!--") stays text: it can
    neither become a heading nor swallow the headings after it.
    """
    try:
        root = lxml_html.document_fromstring(page)
    except (ParserError, ValueError):
        return "", [], []
    title = page_title(root)
    body = root.find("body")
    if body is None:
        body = root
    tabs = _tab_labels(root)
    _strip_chrome(body, len(body.text_content()), set(tabs))
    main = _main_element(body)
    writer = _Writer(tabs)
    writer.walk(main)
    lines: list[str] = []
    heads: list[Heading] = []
    for i, line in enumerate(writer.lines):
        if not line and (not lines or not lines[-1]):
            continue  # one blank line between blocks, none at the start
        if i in writer.heads:
            level, text = writer.heads[i]
            heads.append((level, len(lines) + 1, text))
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    if title and not (heads and heads[0][:2] == (1, 1)):  # the page's title heads its text
        lines[:0] = [f"# {title}", ""] if lines else [f"# {title}"]
        heads = [(1, 1, title)] + [(lvl, at + 2, text) for lvl, at, text in heads]
    return title, lines, heads


def page_to_markdown(page: str) -> tuple[str, str]:
    """``(title, markdown)`` for an HTML page: main content, every tab, tables as rows."""
    title, lines, _ = page_outline(page)
    return title, "\n".join(lines)


def _main_element(body: HtmlElement) -> HtmlElement:
    """``<main>`` or the ARIA main region when the page marks one, else the whole body."""
    for el in _iter_main(body):
        if len(_squash(el.text_content())) > 0.3 * len(_squash(body.text_content())):
            return el
    return body


def _iter_main(body: HtmlElement) -> Iterator[HtmlElement]:
    yield from body.iter("main")
    for el in body.iter():
        if isinstance(el.tag, str) and (el.get("role") or "").lower() == "main":
            yield el

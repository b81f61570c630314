"""Read HTML documents with selectolax (lexbor): the report's own text, without page furniture.

Furniture dropped: scripts, styles, navigation, headers and footers, breadcrumbs, cookie banners,
skip links, phase banners, "Is this page useful?" feedback, share and print links, text hidden
from view. Table cells are separated by a tab, so a table row stays one line of cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from schoolkg.errors import InputError

__all__ = ["MAX_DEPTH", "html_text", "nesting_depth"]

MAX_DEPTH = 1000
"""Deepest element nesting read; deeper pages are refused (HTML tree building slows with depth squared)."""

_ROOTS = ("main", "[role=main]", "#main-content", "article", "#content")
_DROP = (
    "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, dialog, "
    "[role=navigation], [role=banner], [role=contentinfo], [role=search], [aria-hidden=true], [hidden], "
    ".breadcrumb, .breadcrumbs, .skip-link, .govuk-skip-link, .govuk-visually-hidden, .visually-hidden, "
    ".gem-c-related-navigation, .site-header, .site-footer, .govuk-header, .govuk-footer, .govuk-phase-banner, "
    "[class*=cookie], [id*=cookie], [class*=feedback], [id*=feedback], [class*=phase-banner], "
    "[class*=breadcrumb], [class*=share-], .share, [class*=print-link], .gem-c-contextual-sidebar"
)
_BLOCK = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table", "tbody",
    "thead", "tr", "ul", "caption",
}  # fmt: skip
# Elements whose end tag may be left out (they never nest in practice): not counted as depth.
_OPTIONAL_END = {
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup",
    "caption", "rb", "rt", "rp", "rtc", "body", "html", "head",
}  # fmt: skip
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>", re.S)
_RAW = {"script", "style", "textarea", "title"}
_FEEDBACK = re.compile(
    r"^(?:is this page useful\??|(?:yes|no)(?:,? this page is (?:not )?useful)?|report a problem with this page"
    r"|maybe|print this page|share this page|back to top)$",
    re.IGNORECASE,
)


def nesting_depth(markup: str) -> tuple[int, int]:
    """The deepest element nesting in ``markup`` and the line where it is first reached, in one pass.

    End tags close the innermost open element of their name; void elements, self-closed tags and
    elements whose end tag is optional do not count.

    >>> nesting_depth("<div><section><p>Hi<br></section></div>")
    (2, 1)
    """
    stack: list[str] = []
    deepest, line = 0, 1
    raw_until = -1
    for m in _TAG.finditer(markup):
        if m.start() < raw_until or m.group(2) is None:
            continue
        close, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if close:
            if name in stack:
                while stack and stack.pop() != name:
                    pass
            continue
        if name in _RAW:
            end = markup.lower().find(f"</{name}", m.end())
            raw_until = end if end >= 0 else len(markup)
            continue
        if selfclose or name in _VOID or name in _OPTIONAL_END:
            continue
        stack.append(name)
        if len(stack) > deepest:
            deepest = len(stack)
            if deepest == MAX_DEPTH + 1:
                line = markup.count("\n", 0, m.start()) + 1
    return deepest, line


def html_text(markup: str, path: Path | str = "") -> str:
    """Visible main text of an HTML page, one block (heading, paragraph, list item, row) a line.

    >>> html_text("<nav>Home</nav><main><h2>Key findings</h2><ul><li>Good <b>teaching</b>.</li></ul></main>")
    'Key findings\\n- Good teaching.'
    >>> html_text("<main><table><tr><th>Overall effectiveness</th><td>Good</td></tr></table></main>")
    'Overall effectiveness\\tGood'
    """
    from selectolax.lexbor import LexborHTMLParser, LexborNode

    depth, line = nesting_depth(markup)
    if depth > MAX_DEPTH:
        problem = f"HTML nested more than {MAX_DEPTH:,} elements deep (line {line}); refusing to parse"
        raise InputError(problem, path=path)
    tree = LexborHTMLParser(markup)
    root = next((n for n in (tree.css_first(sel) for sel in _ROOTS) if n is not None), None) or tree.body
    if root is None:
        raise InputError("HTML has no body", path=path)
    for node in root.css(_DROP):
        node.decompose()
    parts: list[str] = []
    stack: list[LexborNode | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        tag = item.tag
        if tag == "-text":
            parts.append(item.text_content or "")
            continue
        if tag in ("-comment", "head", "title"):
            continue
        children = list(item.iter(include_text=True))
        if tag in _BLOCK:
            stack.append("\n")
        if tag in ("td", "th"):
            stack.append("\t")
        stack.extend(reversed(children))
        if tag in _BLOCK:
            stack.append("\n- " if tag == "li" else "\n")
    lines = (_clean(ln) for ln in "".join(parts).splitlines())
    text = "\n".join(ln for ln in lines if ln and ln != "-" and not _FEEDBACK.match(ln.lstrip("- ")))
    if not text.strip():
        raise InputError("HTML page has no text", path=path)
    return text


def _clean(line: str) -> str:
    """Spaces collapsed; cells kept apart by one tab; no tab at either end."""
    cells = [re.sub(r"[ \u00a0]+", " ", c).strip() for c in line.split("\t")]
    return "\t".join(c for c in cells if c)

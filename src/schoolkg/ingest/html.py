"""Read HTML documents with selectolax (lexbor): the main text, without navigation, scripts and boilerplate."""

from __future__ import annotations

import re
from pathlib import Path

from schoolkg.errors import InputError

__all__ = ["html_text"]

_DROP = (
    "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, "
    "[role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true], "
    ".breadcrumb, .breadcrumbs, .cookie-banner, #cookie-banner, .skip-link, .govuk-skip-link, "
    ".gem-c-related-navigation, .site-header, .site-footer"
)
_BLOCK = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table", "tbody",
    "thead", "tr", "ul", "caption",
}  # fmt: skip


def html_text(markup: str, path: Path | str = "") -> str:
    """Visible main text of an HTML page, one block (heading, paragraph, list item, row) a line.

    >>> html_text("<nav>Home</nav><main><h2>Key findings</h2><ul><li>Good <b>teaching</b>.</li></ul></main>")
    'Key findings\\n- Good teaching.'
    """
    from selectolax.lexbor import LexborHTMLParser, LexborNode

    tree = LexborHTMLParser(markup)
    root = tree.css_first("main") or tree.css_first("article") or tree.css_first("[role=main]") or tree.body
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
            stack.append(" ")
        stack.extend(reversed(children))
        if tag in _BLOCK:
            stack.append("\n- " if tag == "li" else "\n")
    lines = (re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in "".join(parts).splitlines())
    text = "\n".join(ln for ln in lines if ln and ln != "-")
    if not text.strip():
        raise InputError("HTML page has no text", path=path)
    return text

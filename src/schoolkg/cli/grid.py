"""Draw a table of text for the terminal, as rich draws one, without importing rich.

rich costs a cheap ``schoolkg query`` about a third of its CPU (import and layout, issue 19);
this draws the same heavy-headed box, fitted to the terminal width, long cells wrapped at
spaces onto more lines and words too long for their column cut with ``…``.
Cells are drawn as they are: callers remove control characters first
(:func:`schoolkg.queries.results.terminal_text`); no markup is read.
"""

import shutil
import textwrap
import unicodedata
from collections.abc import Sequence

__all__ = ["draw"]


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: wide East Asian characters count two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` columns: cut with ``…`` when longer, padded with spaces."""
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    out, used = [], 0
    for c in text:
        w = _width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` columns, broken at spaces (long words cut later).

    >>> _wrap("leaders monitor teaching closely", 12)
    ['leaders', 'monitor', 'teaching', 'closely']
    >>> _wrap("", 5), _wrap("short", 9)
    ([''], ['short'])
    """
    if _width(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _fit(natural: list[int], room: int) -> list[int]:
    """Column widths within ``room``: the widest columns narrowed first, none below 1.

    >>> _fit([3, 20, 10], 20), _fit([3, 4], 20)
    ([3, 9, 8], [3, 4])
    """
    if sum(natural) <= room:
        return natural
    low, high = 1, max(natural)  # the largest cap c with sum(min(w, c)) <= room
    while low < high:
        cap = (low + high + 1) // 2
        if sum(min(w, cap) for w in natural) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [min(w, low) for w in natural]
    spare = room - sum(widths)
    for i, w in enumerate(natural):  # hand what is left to the narrowed columns, in order
        if spare <= 0:
            break
        if w > widths[i]:
            widths[i] += 1
            spare -= 1
    return widths


def draw(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """The table as lines of text, at most ``width`` columns wide (default: the terminal's).

    >>> print(draw(["name", "n"], [["Ash Green", "3"], ["Beech", "12"]]), end="")
    ┏━━━━━━━━━━━┳━━━━┓
    ┃ name      ┃ n  ┃
    ┡━━━━━━━━━━━╇━━━━┩
    │ Ash Green │ 3  │
    │ Beech     │ 12 │
    └───────────┴────┘
    >>> print(draw(["school", "la"], [["Ash Green Primary School", "Calderdale"]], width=22), end="")
    ┏━━━━━━━━━━┳━━━━━━━━━┓
    ┃ school   ┃ la      ┃
    ┡━━━━━━━━━━╇━━━━━━━━━┩
    │ Ash      │ Calder… │
    │ Green    │         │
    │ Primary  │         │
    │ School   │         │
    └──────────┴─────────┘
    """
    if not columns:
        return ""
    width = width or shutil.get_terminal_size((80, 24)).columns
    natural = [max([_width(c), *(_width(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    widths = _fit(natural, max(len(columns), width - 3 * len(columns) - 1))

    def line(left: str, fill: str, middle: str, right: str) -> str:
        return left + middle.join(fill * (w + 2) for w in widths) + right + "\n"

    def cells(edge: str, values: Sequence[str]) -> str:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths, strict=False)]
        height = max(len(parts) for parts in wrapped)
        return "".join(
            edge
            + edge.join(
                f" {_cut(parts[i] if i < len(parts) else '', w)} " for parts, w in zip(wrapped, widths, strict=False)
            )
            + edge
            + "\n"
            for i in range(height)
        )

    out = [line("┏", "━", "┳", "┓"), cells("┃", columns), line("┡", "━", "╇", "┩")]
    out += [cells("│", list(row) + [""] * (len(columns) - len(row))) for row in rows]
    out.append(line("└", "─", "┴", "┘"))
    return "".join(out)

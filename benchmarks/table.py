"""One ratio table for every suite: a column per engine, then chosen ratios of two columns.

>>> print(ratio_table({"moons": [0.5, 2.0]}, ("numpy", "compiled"),
...                   [("compiled/numpy", 1, 0)], first="ms per step"))
ms per step        numpy   compiled   compiled/numpy
----------------------------------------------------
moons               0.50       2.00             4.0x
"""

from __future__ import annotations

from collections.abc import Sequence


def ratio_table(rows: dict[str, Sequence[float | str | None]], columns: Sequence[str],
                ratios: Sequence[tuple[str, int, int]], *, first: str = "workload",
                digits: int = 2) -> str:
    """``rows``: title -> one cell per column (a number, a word such as an error's name,
    or None: "-"); ``ratios``: (heading, top column, bottom column), printed as
    top / bottom where both are numbers > 0, else "-"."""
    left = max([len(first), *map(len, rows)]) + 2
    text = {title: [_cell(c, digits) for c in cells] for title, cells in rows.items()}
    widths = [max([len(name), 9, *(len(t[i]) for t in text.values())]) + 2
              for i, name in enumerate(columns)]
    ratio_widths = [len(heading) + 3 for heading, _, _ in ratios]
    head = f"{first:<{left}}" + "".join(f"{n:>{w}}" for n, w in zip(columns, widths, strict=True))
    head += "".join(f"{h:>{w}}" for (h, _, _), w in zip(ratios, ratio_widths, strict=True))
    lines = [head, "-" * len(head)]
    for title, cells in rows.items():
        line = f"{title:<{left}}" + "".join(
            f"{c:>{w}}" for c, w in zip(text[title], widths, strict=True))
        for (_, top, bottom), w in zip(ratios, ratio_widths, strict=True):
            a, b = cells[top], cells[bottom]
            ok = all(isinstance(c, float) and c > 0 for c in (a, b))
            line += f"{a / b:>{w - 1}.1f}x" if ok else f"{'-':>{w}}"
        lines.append(line)
    return "\n".join(lines)


def _cell(cell: float | str | None, digits: int) -> str:
    if cell is None:
        return "-"
    return f"{cell:.{digits}f}" if isinstance(cell, float) else str(cell)

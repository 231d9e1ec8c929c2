"""Variable names: their natural order, and names that are other variables side by side.

Names may have several letters (``rate``, ``n10``), so ``"3xy + x + y"`` has the three
variables ``x``, ``xy`` and ``y``. That is valid, but ``xy`` was probably meant as ``x*y``;
the parser records a note (`ModPoly.notes`) and the command line prints it as a warning.
"""

from __future__ import annotations

import re

#: Longer names are not checked: the check costs O(length^2) per name, and a text of at most
#: 20,000 characters then costs at most about 10^6 steps whatever it contains.
MAX_CHECKED_LENGTH = 64


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key with numbers compared as numbers: n1 < n2 < n10, x < y < z."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name) if part
    )


def _split_into(name: str, parts: frozenset[str]) -> tuple[str, ...] | None:
    """``name`` as a concatenation of two or more of ``parts`` (None if it is not one)."""
    best: dict[int, tuple[str, ...]] = {0: ()}
    for end in range(1, len(name) + 1):
        for start in range(end):
            if start in best and name[start:end] in parts and name[start:end] != name:
                best.setdefault(end, (*best[start], name[start:end]))
    found = best.get(len(name))
    return found if found is not None and len(found) >= 2 else None


def concatenation_notes(body: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """Notes for variable names that are other variables of the same text written together.

    ``"3xy + x + y"`` has the variables ``x``, ``xy`` and ``y``: ``xy`` is one name (names
    may have several letters), but it was probably meant as ``x*y``. Each note says how to
    write the product.
    """
    others = frozenset(names)
    notes = []
    for name in names:
        if len(name) > MAX_CHECKED_LENGTH:
            continue
        parts = _split_into(name, others)
        if parts is None:
            continue
        product = "*".join(parts)
        coefficient = re.search(
            rf"(?<![A-Za-z0-9_])(\d+)\s*\*?\s*{re.escape(name)}(?![A-Za-z0-9_])", body
        )
        example = f"{coefficient.group(1)}*{product}" if coefficient else product
        distinct = list(dict.fromkeys(parts))
        are = "is a variable" if len(distinct) == 1 else "are variables"
        notes.append(
            f"'{name}' is read as one variable, but {' and '.join(distinct)} {are} too; "
            f"for their product write {example}"
        )
    return tuple(notes)

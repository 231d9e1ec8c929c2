"""MkDocs hook: a Sphinx role left in a docstring or page fails the strict build.

The API reference renders Google-style docstrings as Markdown, where a Sphinx role such as
``:func:`parse``` is not markup: it would appear on the page as the literal text
":func:" followed by code. This hook looks for that pattern in every rendered page and logs
a warning naming the page, which ``mkdocs build --strict`` turns into a failed build.
Write a code span (`parse`) or a cross-reference ([parse][polyclass.parsing.parse]) instead.
"""

from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger("mkdocs.plugins.polyclass_docstrings")

# a role as Markdown renders it: ":func:" right before an inline code element
LITERAL_ROLE = re.compile(
    r":(?:py:)?(func|meth|class|mod|data|attr|exc|obj|const|ref|term|any):<code>([^<]*)</code>"
)


def literal_roles(html: str) -> list[str]:
    """The literal Sphinx roles in rendered HTML, as ``:role:`target``` strings."""
    return [f":{role}:`{target}`" for role, target in LITERAL_ROLE.findall(html)]


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    roles = literal_roles(html)
    if roles:
        shown = ", ".join(sorted(set(roles))[:5])
        log.warning(
            "%s: %d literal Sphinx role(s) in the rendered page (%s); docstrings are "
            "Google style: write `name` or [name][polyclass.name] instead",
            page.file.src_path,
            len(roles),
            shown,
        )
    return html

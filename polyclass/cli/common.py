"""What the subcommand handlers share: a plain result for --json, and writing figures."""

from __future__ import annotations

from typing import Any

from ..errors import PolyclassError


class Result:
    """A plain dict result for subcommands whose library value has no to_dict()."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        return self.data


def save_figure(fig: Any, path: str) -> None:
    try:
        fig.savefig(path, dpi=120)
    except (OSError, ValueError) as err:
        raise PolyclassError(f"cannot write figure {path}: {err}") from None

"""Result rows written straight into an atlas database, for the store and listing tests."""

from __future__ import annotations

from typing import Any

from polyclass.atlas.store import COLUMN_NAMES


def store_row(
    poly: str,
    predicted: int | None,
    observed: float,
    *,
    score: float | None = None,
    form: str = "general",
    seed: int = 0,
    p: int = 23,
) -> dict[str, Any]:
    """A full row (every column; those not given are None) of one trained polynomial; a
    negative prediction carries the certificate that proves it."""
    row: dict[str, Any] = dict.fromkeys(COLUMN_NAMES)
    row.update(
        poly=poly,
        p=p,
        seed=seed,
        config_hash="c",
        predicted=predicted,
        score=score,
        observed_test_accuracy=observed,
        grok_threshold=0.99,
        decomposition_form=form,
        certificate="fibre_bound" if predicted == 0 else None,
    )
    return row

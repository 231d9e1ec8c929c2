"""The `Verdict` object and the graded score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..structure import FORMS as ALL_FORMS
from ..structure import Structure
from .tables import IntArray, line_classes

#: The forms a verdict can have (the shared vocabulary, less ``composite``).
FORMS = tuple(f for f in ALL_FORMS if f != "composite")


@dataclass(frozen=True, eq=False)
class Verdict:
    """Whether a 2-layer MLP is predicted to learn ``f`` from part of its table, with proof.

    * ``learnable``: True when ``f = h(g_1(n_1) + ... + g_S(n_S))`` over ``Z_p`` (Hypothesis
      5.1) or through the multiplicative template ``F(phi_1(n_1) ... phi_S(n_S))`` (a sum in
      ``Z_(p-1) x Z_(S+1)``: discrete log plus a count of zero factors); the maps are in
      ``maps`` and were checked on every input. False when both are refuted by
      ``certificate``; None when neither could be established within the time budget.
    * ``form``: one of ``one_variable``, ``h_of_sum``, ``multiplicative``,
      ``not_decomposable``, ``undetermined`` (`polyclass.structure.FORMS`).
    * ``structure``: the `Structure` when ``learnable`` is True
      (what `polyclass.compile` builds the network from), else None.
    * ``score``: a prediction of the test accuracy of a 2-layer MLP trained on a random
      fraction ``alpha`` of the table, from the measured model of
      `polyclass.learnability.graded` for tables of two inputs: the share of the
      decomposition (``learnable`` True, Hypothesis 5.1), of the table's symmetries and of
      its repeated rows and columns that a network uses at ``alpha`` and ``p`` (near 1 for
      a decomposable table above its threshold in alpha, about 0.44 at p = 23 and 0.13 at
      p = 97; the majority share for a table without structure). Other tables keep
      `coverage_score` (the idealised learner that can only exploit equal rows / columns;
      chance level = majority share), or 1.0 when decomposable.
    * ``certificate``: machine-checkable data, re-checked by
      `polyclass.learnability.check_certificate`.
    """

    learnable: bool | None
    form: str
    reason: str
    score: float
    certificate: dict[str, Any]
    p: int
    variables: tuple[str, ...]
    alpha: float
    method: str
    source: str
    seconds: float
    maps: dict[str, Any] | None = None
    notes: tuple[str, ...] = field(default=())
    summary: str = ""
    structure: Structure | None = None

    def __str__(self) -> str:
        head = {True: "learnable", False: "not learnable", None: "undetermined"}[self.learnable]
        first = self.summary or (self.reason.splitlines()[0] if self.reason else "")
        return f"{head} ({self.form}, score {self.score:.2f} at alpha={self.alpha:g}): {first}"

    def __repr__(self) -> str:
        return f"Verdict(learnable={self.learnable}, form={self.form!r}, score={self.score:.3f})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (plain ints, floats, strings, lists and dicts only)."""
        return _plain(
            {
                "learnable": self.learnable,
                "form": self.form,
                "reason": self.reason,
                "score": self.score,
                "alpha": self.alpha,
                "p": self.p,
                "variables": list(self.variables),
                "method": self.method,
                "source": self.source,
                "seconds": self.seconds,
                "maps": self.maps,
                "certificate": self.certificate,
                "notes": list(self.notes),
                "summary": self.summary,
                "structure": None if self.structure is None else self.structure.to_dict(),
            }
        )


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_plain(v) for v in obj.tolist()]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj)
    return obj


def coverage_score(table: IntArray, alpha: float) -> float:
    """Expected test accuracy of an idealised learner that has not found a decomposition.

    The inputs are grouped into *fibres*: inputs whose every coordinate lies in the same
    class of equal slices (for two variables: equal rows and equal columns), i.e. the fibres
    of the certified decomposition of the reduced table over ``Z_m1 x ... x Z_mS`` (which
    always exists). A random fraction ``alpha`` of the inputs is seen in training. On an
    unseen input the learner answers correctly when another input of its fibre was seen
    (probability ``1 - (1 - alpha)^(|fibre| - 1)``), and otherwise answers the majority class
    of the table. The score is the mean of that probability over all inputs: it equals the
    majority-class share (chance level) when no two slices are equal, and
    ``1 - (1 - alpha)^2`` ~ 0.75 for ``(5 n1^3 + 2 n2^4)^2 - n2 mod 97`` (``n1^3`` is 3-to-1).
    It is a ceiling-like prediction: trained networks were measured a few points lower.
    """
    classes = [line_classes(table, s) for s in range(table.ndim)]
    sizes = [np.bincount(c)[c] for c in classes]
    fibre = np.ones(table.shape, dtype=np.float64)
    for s, size in enumerate(sizes):
        shape = [1] * table.ndim
        shape[s] = size.size
        fibre = fibre * size.reshape(shape)
    miss = (1.0 - alpha) ** (fibre - 1.0)
    values = table.ravel()
    majority = int(np.bincount(values).argmax())
    right_when_missed = (table == majority).astype(np.float64)
    return float(np.mean((1.0 - miss) + miss * right_when_missed))

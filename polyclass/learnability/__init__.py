"""Learnability classifier: does ``f`` decompose as ``h(g_1(n_1) + ... + g_S(n_S))``?

Examples:
    >>> import polyclass as pc
    >>> V = pc.classify("(5*n1^3 + 2*n2^4)^2 - n2 mod 23")
    >>> V.learnable
    False

Modules: `tables` (validation, reduction, fibre bound, histograms), `search`
(injective-h propagation, autotopism search), `brute` (plain backtracking: the exact
fallback and the benchmark baseline), `decide` (exact decisions over ``Z_N`` and the
multiplicative template), `certificates` (independent checks), `verdict`
(`Verdict`, the score) and `classify` (the entry point).
"""

from __future__ import annotations

from .certificates import check_certificate
from .classify import DEFAULT_TIME_BUDGET, classify
from .verdict import Verdict, coverage_score

__all__ = ["DEFAULT_TIME_BUDGET", "Verdict", "check_certificate", "classify", "coverage_score"]

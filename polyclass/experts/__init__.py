"""Analytic expert weights: phase designs, addition and multiplication experts, composition.

* `design`: lattice phases that cancel every cross term exactly, and the paper's
  random phases;
* `core`: the expert spec, the weight builder and the readout shared by all experts,
  and the exact margin model used to choose frequencies;
* `addition` / `multiplication`: specs of affine / ``h_of_sum`` and monomial /
  ``h_of_product`` experts;
* `structured`: one `Structure` -> one exact expert;
* `composition`: mixtures of experts (flat adder or tree of adders) and the margin
  budget between softmax stages.
"""

from __future__ import annotations

from .addition import affine_spec, poly_values, sum_spec
from .core import ExpertSpec, build_expert, choose_frequencies, make_spec, margin_curve
from .design import PhaseDesign, exact_design, frequency_order, lattice, paper_design
from .multiplication import monomial_spec, product_spec

__all__ = [
    "ExpertSpec",
    "PhaseDesign",
    "affine_spec",
    "build_expert",
    "choose_frequencies",
    "exact_design",
    "frequency_order",
    "lattice",
    "make_spec",
    "margin_curve",
    "monomial_spec",
    "paper_design",
    "poly_values",
    "product_spec",
    "sum_spec",
]

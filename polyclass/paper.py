"""The paper's polynomials and the numbers it reports, for reproductions and benchmarks.

Doshi, He, Das, Gromov, *Grokking Modular Polynomials* (arXiv:2406.03495).
"""

from __future__ import annotations

#: Appendix B: mixtures of experts (widths 500 and 2000, beta = 100, cubic adder) reach
#: 100% accuracy on all p^2 inputs with this MSE against one-hot targets.
APPENDIX_B: tuple[tuple[str, dict[int, float]], ...] = (
    ("2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3", {97: 0.007674, 23: 0.0098}),
    ("n1^5*n2^3 + 4*n1^2*n2 + 5*n1^2*n2^3", {97: 0.007660, 23: 0.0098}),
    ("7*n1^4*n2^4 + 2*n1^3*n2^2 + 4*n1^2*n2^5", {97: 0.007683, 23: 0.0102}),
)

#: Appendix C: test accuracy (%) of a trained MLP (N = 5000, quadratic activation, Adam,
#: MSE, lr 0.005, wd 5, 50% train; train accuracy 100% everywhere).
APPENDIX_C: tuple[tuple[str, dict[int, float]], ...] = (
    ("(4*n1 + n2^2)^3", {97: 100.0, 23: 100.0}),
    ("(4*n1 + n2^2)^3 + n1*n2", {97: 2.27, 23: 1.89}),
    ("(2*n1 + 3*n2)^4", {97: 100.0, 23: 100.0}),
    ("(2*n1 + 3*n2)^4 - n1^2", {97: 3.93, 23: 7.17}),
    ("(5*n1^3 + 2*n2^4)^2", {97: 100.0, 23: 100.0}),
    ("(5*n1^3 + 2*n2^4)^2 - n2", {97: 72.32, 23: 2.64}),
)

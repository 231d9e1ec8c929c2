"""Paper Fig. 2: a PowerMLP groks 4-term addition ``n1 + n2 + n3 + n4 mod 11`` (N = 5000).

Trains with the paper's recipe (MSE, AdamW lr 0.005 wd 5, 50% of the 11^4 inputs, full
batch, activation x^4) past grokking, until the mean IPR stops rising (it rose by less
than ``--tol`` over the last ``--window`` steps) or ``--steps``, and writes the paper's
panels (accuracy, loss, mean IPR over steps; IPR histogram initial against final), the
run's ``metrics.jsonl`` and ``summary.json`` to ``--out``.

    python examples/fig2_addition.py --out docs/src/fig2   # paper settings (long on a CPU)
    python examples/fig2_addition.py --smoke               # or POLYCLASS_SMOKE=1: seconds
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figure import figure_main  # noqa: E402


def main() -> None:
    figure_main("Fig. 2")


if __name__ == "__main__":
    main()

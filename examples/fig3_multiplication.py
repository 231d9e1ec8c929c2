"""Paper Fig. 3: a PowerMLP groks multiplication ``n1 * n2 mod 97`` (N = 500).

The IPR is measured in the discrete-log basis (columns reordered by ``log_g``, 0 dropped),
where an ideal multiplication neuron is a single Fourier mode. Trains past grokking until
the mean IPR stops rising and writes the paper's panels, ``metrics.jsonl`` and
``summary.json`` to ``--out`` (see ``fig2_addition.py``).

    python examples/fig3_multiplication.py --out docs/src/fig3   # paper settings
    python examples/fig3_multiplication.py --smoke               # or POLYCLASS_SMOKE=1
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figure import figure_main  # noqa: E402


def main() -> None:
    figure_main("Fig. 3")


if __name__ == "__main__":
    main()

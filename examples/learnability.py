"""Which polynomials will a trained 2-layer MLP learn? Verdicts with their proofs.

python examples/learnability.py [p]
"""

from __future__ import annotations

import os
import sys

import polyclass as pc
from polyclass.paper import APPENDIX_C

POLYNOMIALS = [text for text, _ in APPENDIX_C] + [
    "n1*n2",
    "n1^2*n2^2 + n1^2 + n2^2",
    "n1^2 + n1*n2 + n2^2",
]


def main(p: int) -> None:
    for text in POLYNOMIALS:
        V = pc.classify(text, p=p)
        print(f"{text} mod {p}:")
        print(f"  {V}")
        print(f"  certificate: {V.certificate.get('kind', V.certificate)}")


if __name__ == "__main__":
    default = 23 if os.environ.get("POLYCLASS_SMOKE") == "1" else 97
    main(int(sys.argv[1]) if len(sys.argv) > 1 else default)

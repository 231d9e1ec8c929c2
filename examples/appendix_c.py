"""Paper Appendix C: which polynomials a 2-layer MLP learns, at p = 97 and p = 23.

Six polynomials per prime, each trained with the paper's settings (N = 5000, quadratic
activation, MSE, lr 0.005, weight decay 5 (AdamW: decoupled), 50% train, full batch); the
six runs of one prime go through ``pc.train_many`` as one batched program. Also prints the
classifier's verdict (``pc.classify``) when it is available. Chance is the majority-class
share of the test set.

    python examples/appendix_c.py                 # paper settings (slow on a CPU)
    python examples/appendix_c.py --width 500     # faster, same verdicts here
    python examples/appendix_c.py --smoke         # or POLYCLASS_SMOKE=1
"""

from __future__ import annotations

import argparse
import os

import polyclass as pc
from polyclass.paper import APPENDIX_C

POLYS = [text for text, _ in APPENDIX_C]
# the paper's test accuracies in % (train accuracy is 100% everywhere)
PAPER = {p: [accuracy[p] for _, accuracy in APPENDIX_C] for p in (97, 23)}


def verdict(text: str) -> str:
    try:
        V = pc.classify(text)
    except (ImportError, AttributeError):
        return "n/a"
    return {True: "learnable", False: "not learnable", None: "undecided"}[V.learnable]


def main() -> None:
    parser = argparse.ArgumentParser(description="Reproduce paper Appendix C")
    parser.add_argument("--smoke", action="store_true", help="tiny settings (for tests)")
    parser.add_argument("--width", type=int, default=5000)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--primes", type=int, nargs="+", default=[97, 23])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default=None)
    args = parser.parse_args()
    smoke = args.smoke or os.environ.get("POLYCLASS_SMOKE") == "1"
    width, steps, primes = (16, 3, [23]) if smoke else (args.width, args.steps, args.primes)
    for p in primes:
        texts = [f"{t} mod {p}" for t in POLYS]
        results = pc.train_many(
            texts, seeds=[args.seed] * len(texts), width=width, steps=steps, device=args.device
        )
        print(f"\np = {p}, N = {width}, up to {steps} steps")
        print(
            f"{'polynomial':32s} {'train':>8s} {'test':>8s} {'chance':>7s} {'paper':>7s}"
            f"  grokked  classifier"
        )
        for text, T, paper in zip(POLYS, results, PAPER[p], strict=True):
            print(
                f"{text:32s} {T.train_accuracy:8.2%} {T.test_accuracy:8.2%} {T.chance:7.2%} "
                f"{paper:6.2f}%  {str(T.grokked_at):>7s}  {verdict(f'{text} mod {p}')}"
            )


if __name__ == "__main__":
    main()

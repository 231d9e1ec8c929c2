"""Shared driver of the Fig. 2 and Fig. 3 reproductions (not an example by itself)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from polyclass.errors import PolyclassError
from polyclass.training.grokking import train_past_grokking


def figure_parser(description: str, *, width: int, steps: int, eval_every: int) -> Any:
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="tiny settings (for tests)")
    parser.add_argument("--width", type=int, default=width)
    parser.add_argument("--steps", type=int, default=steps, help="at most this many steps")
    parser.add_argument("--eval-every", type=int, default=eval_every)
    parser.add_argument("--window", type=int, default=1000, help="IPR plateau window (steps)")
    parser.add_argument("--tol", type=float, default=0.005, help="IPR plateau: rise below this")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default=None)
    parser.add_argument("--out", default=None, help="folder for the figure and metrics")
    return parser


#: The paper's figures: their defaults (width, steps, eval_every), polynomial, smoke-test
#: polynomial and what the paper reports.
FIGURES: dict[str, dict[str, Any]] = {
    "Fig. 2": {
        "settings": {"width": 5000, "steps": 20000, "eval_every": 25},
        "poly": "n1 + n2 + n3 + n4 mod 11",
        "smoke_poly": "n1 + n2 + n3 + n4 mod 5",
        "paper": "paper:    test accuracy reaches 100% long after train accuracy (grokking), "
        "the mean IPR rises monotonically, final IPRs concentrate near 1",
    },
    "Fig. 3": {
        "settings": {"width": 500, "steps": 20000, "eval_every": 20},
        "poly": "n1*n2 mod 97",
        "smoke_poly": "n1*n2 mod 23",
        "paper": "paper:    100% test accuracy after memorisation (grokking), mean IPR rising "
        "monotonically, final IPRs concentrated near 1",
    },
}


def figure_main(figure: str) -> None:
    """Parse the command line (the figure's settings are the defaults) and run ``figure``."""
    spec = dict(FIGURES[figure])
    parser = figure_parser(f"Reproduce paper {figure}", **spec.pop("settings"))
    run_figure(parser.parse_args(), parser, **spec)


def run_figure(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    *,
    poly: str,
    smoke_poly: str,
    paper: str,
) -> None:
    smoke = args.smoke or os.environ.get("POLYCLASS_SMOKE") == "1"
    if smoke:
        poly, args.width, args.steps, args.eval_every, args.window = smoke_poly, 32, 6, 1, 2
    try:  # the library checks every argument on entry (polyclass.validation)
        run = train_past_grokking(
            poly,
            args.out,
            window=args.window,
            tol=args.tol,
            width=args.width,
            steps=args.steps,
            seed=args.seed,
            device=args.device,
            eval_every=args.eval_every,
        )
    except PolyclassError as err:  # bad flags: one line and status 2, as the CLI does
        parser.error(str(err))
    T = run.result
    print(f"{poly}, N={args.width}: {T} (stopped: {T.stopped})")
    print(" step   train acc   test acc   mean IPR   |W|")
    every = max(1, len(T.history) // 20)
    for r in T.history[::every] + T.history[-1:] * (len(T.history) % every != 1):
        print(
            f"{r['step']:5d}   {r['train_accuracy']:8.2%}   {r['test_accuracy']:8.2%}"
            f"   {r['mean_ipr']:7.3f}   {r['weight_norm']:.3g}"
        )
    summary = run.summary()
    print("measured: " + json.dumps(summary))
    hist, edges = np.histogram(run.final_ipr, bins=5, range=(0, 1))
    print(
        "measured: final IPR histogram: "
        + ", ".join(
            f"[{a:.1f},{b:.1f}): {n}" for a, b, n in zip(edges[:-1], edges[1:], hist, strict=True)
        )
    )
    print(paper)
    if args.out is not None:
        save_outputs(run, poly, args)


def save_outputs(run: Any, poly: str, args: argparse.Namespace) -> None:
    """The run folder (weights too), the comparison with the compiled network, figures."""
    import polyclass as pc
    from polyclass import plot

    T, out = run.result, Path(args.out)
    pc.save_run(T, out, polynomial=poly)
    c = pc.compare(T, pc.compile(poly), poly)
    print(f"measured: {c}")
    brief = {k: v for k, v in c.to_dict().items() if k not in ("trained", "compiled")}
    for name in ("trained", "compiled"):
        rel = getattr(c, name)
        brief[name] = {
            "n_active": rel.n_active,
            "n_matching": int(rel.matches.sum()),
            "share": rel.share,
            "weighted_share": rel.weighted_share,
            "multipliers": list(rel.multipliers),
            "offset": rel.offset,
        }
    (out / "comparison.json").write_text(json.dumps(brief, indent=1) + "\n")
    plot.comparison_figure(c).savefig(out / "comparison.png", dpi=100)
    plot.weight_heatmaps({"trained": T.model}, poly, neurons=200).savefig(
        out / "weights.png", dpi=80
    )
    fig = plot.training_curves(
        T, title=f"{poly}, N = {args.width}", iprs=(run.initial_ipr, run.final_ipr)
    )
    fig.savefig(out / "panels.png", dpi=110)

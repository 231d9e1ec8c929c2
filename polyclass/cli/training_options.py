"""The options ``train`` and ``check`` share: one set of defaults, all shown in ``--help``.

The defaults are those of `TrainConfig` (hyperparameters) and
`RunOptions` (how the run is carried out); they are written out
here, next to the flags (a test keeps them equal to the library's).
``check`` differs in one place only, stated in its help: its step budget depends on p.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import PolyclassError

# TrainConfig / RunOptions defaults (tests/test_cli_training.py checks they match)
DEFAULTS: dict[str, Any] = {
    "width": 500,
    "steps": 2000,
    "lr": 0.005,
    "weight_decay": 5.0,
    "optimizer": "adamw",
    "loss": "mse",
    "train_fraction": 0.5,
    "batch_size": None,
    "seed": 0,
    "dtype": "float32",
    "eval_every": 10,
    "early_stop": True,
    "early_stop_patience": 0,
    "device": "auto",
    "progress_interval": 10.0,
    "checkpoint_every": 0,
}
#: ``check``'s step budget (``polyclass.training.check.default_check_config``).
CHECK_STEPS = "3000 below p = 50, else 1500"


class DefaultsFormatter(argparse.HelpFormatter):
    """Help with every option's default, unless its help states it or it has none."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if "default" in text or default is None or default is False or default == argparse.SUPPRESS:
            return text
        return f"{text} (default: %(default)s)".strip()


def add_training_arguments(p: argparse.ArgumentParser, command: str) -> None:
    """The hyperparameter and run-option flags of ``train`` / ``check``."""
    d = DEFAULTS
    steps_default = CHECK_STEPS if command == "check" else d["steps"]
    p.add_argument("-p", "--p", type=int, default=None, help="modulus, if not in the text")
    p.add_argument("--variables", help="variable order, e.g. 'x,y' (default: natural)")
    g = p.add_argument_group("hyperparameters (the paper's recipe by default)")
    g.add_argument("--width", type=int, default=d["width"], help="hidden width N")
    g.add_argument(
        "--steps",
        type=int,
        default=None,
        help=f"at most this many optimiser steps (default: {steps_default})",
    )
    g.add_argument("--lr", type=float, default=d["lr"], help="learning rate")
    g.add_argument("--wd", type=float, default=d["weight_decay"], help="weight decay")
    g.add_argument(
        "--optimizer",
        choices=("adamw", "adam", "sgd"),
        default=d["optimizer"],
        help="adamw: decoupled weight decay (the paper's); adam/sgd: L2 in the gradient",
    )
    g.add_argument(
        "--loss", choices=("mse", "cross_entropy"), default=d["loss"], help="training loss"
    )
    g.add_argument(
        "--train-fraction", type=float, default=d["train_fraction"], help="share of the table"
    )
    g.add_argument(
        "--batch-size",
        type=int,
        default=d["batch_size"],
        help="rows per step (default: full batch)",
    )
    g.add_argument("--seed", type=int, default=d["seed"], help="split, initialisation, batches")
    g.add_argument(
        "--dtype", choices=("float32", "float64"), default=d["dtype"], help="weights' dtype"
    )
    g.add_argument(
        "--eval-every", type=int, default=d["eval_every"], help="steps between evaluations"
    )
    g.add_argument(
        "--early-stop",
        action=argparse.BooleanOptionalAction,
        default=d["early_stop"],
        help="stop once grokked (test accuracy >= 0.99); --no-early-stop runs every step",
    )
    g.add_argument(
        "--patience",
        type=int,
        default=d["early_stop_patience"],
        help="steps to keep training after grokking before the early stop",
    )
    r = p.add_argument_group("run options (never change the result)")
    r.add_argument("--device", default=d["device"], help="auto (CUDA when available), cpu, cuda")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar or progress lines")
    r.add_argument(
        "--progress-interval",
        type=float,
        default=d["progress_interval"],
        help="seconds between progress lines when stderr is not a terminal",
    )
    r.add_argument(
        "-o", "--output", metavar="DIR", help="save the run here (result, weights, metrics.jsonl)"
    )
    r.add_argument(
        "--checkpoint-every",
        type=int,
        default=d["checkpoint_every"],
        help="steps between checkpoints in DIR/checkpoints (needs -o; 0: none)",
    )
    r.add_argument("--tensorboard", metavar="LOGDIR", help="also write the metrics for TensorBoard")


def training_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for ``pc.train`` / ``pc.check`` from the parsed flags."""
    options: dict[str, Any] = {
        "width": args.width,
        "lr": args.lr,
        "weight_decay": args.wd,
        "optimizer": args.optimizer,
        "loss": args.loss,
        "train_fraction": args.train_fraction,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "dtype": args.dtype,
        "eval_every": args.eval_every,
        "early_stop": args.early_stop,
        "early_stop_patience": args.patience,
        "device": args.device,
        "progress_interval": args.progress_interval,
    }
    if args.steps is not None:
        options["steps"] = args.steps
    if args.quiet:
        options["progress"] = False
    if args.checkpoint_every:
        if not args.output:
            raise PolyclassError(
                "--checkpoint-every needs -o DIR (checkpoints go to DIR/checkpoints)"
            )
        options["checkpoint_every"] = args.checkpoint_every
        options["checkpoint_dir"] = f"{args.output}/checkpoints"
    if args.output:
        options["metrics_dir"] = args.output
    if args.tensorboard:
        options["tensorboard_dir"] = args.tensorboard
    return options

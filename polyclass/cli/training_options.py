"""The options ``train`` and ``check`` share: one set of defaults, all shown in ``--help``.

The defaults are those of `TrainConfig` (hyperparameters) and
`RunOptions` (how the run is carried out); they are written out
here, next to the flags (a test keeps them equal to the library's).
``check`` differs in one place only, stated in its help: its step budget depends on p.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import PolyclassError, TrainConfigError

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


#: The hyperparameter flags: flag, `TrainConfig` field (the flag's dest), argparse keywords
#: and help. Their argparse default is None, so a flag the user gave can be told apart from
#: one left out (``train --resume`` refuses a given one that changes the saved run).
HYPERPARAMETER_FLAGS: tuple[tuple[str, str, dict[str, Any], str], ...] = (
    ("--width", "width", {"type": int}, "hidden width N"),
    ("--lr", "lr", {"type": float}, "learning rate"),
    ("--wd", "weight_decay", {"type": float}, "weight decay"),
    (
        "--optimizer",
        "optimizer",
        {"choices": ("adamw", "adam", "sgd")},
        "adamw: decoupled weight decay (the paper's); adam/sgd: L2 in the gradient",
    ),
    ("--loss", "loss", {"choices": ("mse", "cross_entropy")}, "training loss"),
    ("--train-fraction", "train_fraction", {"type": float}, "share of the table"),
    ("--batch-size", "batch_size", {"type": int}, "rows per step"),
    ("--seed", "seed", {"type": int}, "split, initialisation, batches"),
    ("--dtype", "dtype", {"choices": ("float32", "float64")}, "weights' dtype"),
    ("--eval-every", "eval_every", {"type": int}, "steps between evaluations"),
    (
        "--early-stop",
        "early_stop",
        {"action": argparse.BooleanOptionalAction},
        "stop once grokked (test accuracy >= 0.99); --no-early-stop runs every step",
    ),
    (
        "--patience",
        "early_stop_patience",
        {"type": int},
        "steps to keep training after grokking before the early stop",
    ),
)


def add_training_arguments(p: argparse.ArgumentParser, command: str) -> None:
    """The hyperparameter and run-option flags of ``train`` / ``check``."""
    d = DEFAULTS
    steps_default = CHECK_STEPS if command == "check" else d["steps"]
    p.add_argument("-p", "--p", type=int, default=None, help="modulus, if not in the text")
    p.add_argument("--variables", help="variable order, e.g. 'x,y' (default: natural)")
    g = p.add_argument_group("hyperparameters (the paper's recipe by default)")
    g.add_argument(
        "--steps",
        type=int,
        default=None,
        help=f"at most this many optimiser steps (default: {steps_default})",
    )
    for flag, field, kwargs, text in HYPERPARAMETER_FLAGS:
        shown = "full batch" if d[field] is None else d[field]
        if "type" in kwargs:  # the metavar of the flag, not of its dest (--wd WD)
            kwargs = dict(kwargs, metavar=flag[2:].upper().replace("-", "_"))
        g.add_argument(flag, dest=field, default=None, help=f"{text} (default: {shown})", **kwargs)
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
    """Keyword arguments for ``pc.train`` / ``pc.check`` from the parsed flags (only the
    hyperparameters given on the command line: the others keep the library's defaults)."""
    options: dict[str, Any] = {
        field: getattr(args, field)
        for _, field, _, _ in HYPERPARAMETER_FLAGS
        if getattr(args, field) is not None  # given: the library's default otherwise
    }
    options.update(device=args.device, progress_interval=args.progress_interval)
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


def refuse_changed_hyperparameters(config: Any, given: dict[str, Any]) -> None:
    """``train --resume``: a hyperparameter flag given with a value other than the saved
    run's is an error (the run continues exactly; only --steps and run options change)."""
    flags = {field: flag for flag, field, _, _ in HYPERPARAMETER_FLAGS}
    for field, value in given.items():
        saved = getattr(config, field)
        if getattr(config.replace(**{field: value}), field) == saved:
            continue  # the same setting, written out again
        flag = flags[field]
        shown = (flag if value else "--no-" + flag[2:]) if isinstance(value, bool) else flag
        shown += "" if isinstance(value, bool) else f" {value}"
        raise TrainConfigError(
            f"{shown} differs from the checkpoint's {field} = {saved}: a resumed run continues "
            "with its saved settings (only --steps and run options such as --device may "
            f"change); drop {flag}, or start a new run to train with other hyperparameters"
        )

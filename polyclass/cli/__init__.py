"""The ``polyclass`` command: one thin subcommand per stage, no science inside.

Each subcommand parses its options, calls one library function and prints either a short
readable summary or, with ``--json``, the result's ``to_dict()`` with anything else the
summary says (files written, the check of a compiled network). Errors a user can cause
are printed as one line on stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import PolyclassError
from .atlas_commands import cmd_atlas, cmd_sweep
from .commands import (
    Interrupted,
    cmd_check,
    cmd_classify,
    cmd_compile,
    cmd_decompose,
    cmd_parse,
    cmd_plot,
    cmd_train,
    cmd_verify,
)
from .training_options import DefaultsFormatter, add_training_arguments

Handler = Callable[[argparse.Namespace], tuple[Any, str]]


def _add_chunk_size(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        help="inputs per forward pass of the check (default: about 4M hidden values at a time)",
    )


def _add_poly_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("polynomial", help='polynomial text, e.g. "(4x + y^2)^3 mod 97"')
    parser.add_argument("-p", "--p", type=int, default=None, help="modulus, if not in the text")
    parser.add_argument("--variables", help="variable order, e.g. 'x,y' (default: natural)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="polyclass",
        description="Modular polynomials and the neural networks that compute them.",
    )
    # read, not imported: a clone folder named polyclass shadows the package's own names
    version = getattr(sys.modules.get(__package__.rpartition(".")[0]), "__version__", "?")
    parser.add_argument("--version", action="version", version=f"polyclass {version}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str,
        handler: Handler,
        help_text: str,
        formatter: type[argparse.HelpFormatter] = argparse.HelpFormatter,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, formatter_class=formatter)
        p.add_argument("--json", action="store_true", help="print the result's to_dict() as JSON")
        p.set_defaults(handler=handler)
        return p

    p = command("parse", cmd_parse, "normalised polynomial, variables and table summary")
    _add_poly_arguments(p)
    p = command("decompose", cmd_decompose, "form, h / g maps and the DAG of a polynomial")
    _add_poly_arguments(p)
    p.add_argument("--dot", metavar="FILE", help="also write the DAG as Graphviz text")
    p = command("compile", cmd_compile, "write down a network that is right on every input")
    _add_poly_arguments(p)
    p.add_argument("--method", choices=("exact", "paper"), default="exact")
    p.add_argument("--width", default=None, help="hidden width, or 'min' (default: automatic)")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--seed", type=int, default=0, help="random phases of --method paper")
    p.add_argument("-o", "--output", metavar="FILE", help="save the network (.safetensors)")
    p.add_argument("--no-verify", action="store_true", help="skip the exhaustive check")
    p.add_argument(
        "--max-memory", default=None, help="memory cap of compiling, e.g. 2G or 512M (default 1G)"
    )
    _add_chunk_size(p)
    p = command(
        "verify", cmd_verify, "check a saved network (or a compiled polynomial) on every input"
    )
    p.add_argument("target", help="a .safetensors network file, or polynomial text")
    p.add_argument("-p", "--p", type=int, default=None, help="modulus, if not in the text")
    p.add_argument("--variables", help="variable order, e.g. 'x,y' (default: natural)")
    p.add_argument("--method", choices=("exact", "paper"), default="exact")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
    p.add_argument(
        "--max-memory",
        default=None,
        help="memory cap of compiling and of verifying, e.g. 2G (default 1G)",
    )
    _add_chunk_size(p)
    p = command("classify", cmd_classify, "predict learnability, with a proof either way")
    _add_poly_arguments(p)
    p.add_argument("--alpha", type=float, default=0.5, help="training fraction for the score")
    p.add_argument("--time-budget", type=float, default=10.0, help="seconds before 'undetermined'")
    for name, handler, text in (
        ("train", cmd_train, "train a network on the table (the paper's recipe by default)"),
        ("check", cmd_check, "classify, train, and compare prediction with outcome"),
    ):
        p = command(name, handler, text, DefaultsFormatter)
        p.add_argument("polynomial", nargs="?" if name == "train" else None, help="polynomial text")
        add_training_arguments(p, name)
        if name == "train":
            p.add_argument("--resume", metavar="CHECKPOINT", help="continue a checkpointed run")
    p = command("plot", cmd_plot, "figures from a saved run folder or network file")
    p.add_argument("source", help="a run folder (polyclass train -o) or a .safetensors network")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="image file to write")
    p.add_argument(
        "--kind", choices=("curves", "ipr", "weights"), default="curves", help="for run folders"
    )
    p = command("sweep", cmd_sweep, "classify and train a family of polynomials into a database")
    p.add_argument("--family", required=True, help="spec, .toml or .txt (see docs)")
    p.add_argument("--db", default="atlas.sqlite", help="SQLite results (default atlas.sqlite)")
    p.add_argument("--seeds", type=int, default=1, help="seeds per polynomial (default 1)")
    p.add_argument("--backend", choices=("local", "ray"), default="local")
    p.add_argument("--address", default=None, help="Ray address (with --backend ray)")
    p.add_argument("--batch-size", type=int, default=8, help="models trained together")
    p.add_argument("--workers", type=int, default=None, help="local processes (default: cores)")
    p.add_argument("--max-polynomials", type=int, default=None, help="family size cap")
    p.add_argument(
        "--sample", type=int, default=None, metavar="N", help="run N random members of the family"
    )
    p.add_argument("--sample-seed", type=int, default=0, help="seed of --sample (default 0)")
    p.add_argument("--width", type=int, default=None, help="hidden width (default recipe: 500)")
    p.add_argument("--steps", type=int, default=None, help="training steps (default recipe)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or lines")
    p = command("atlas", cmd_atlas, "predicted against observed learnability in a sweep database")
    p.add_argument("db", help="the sweep's SQLite database")
    p.add_argument("--plot", metavar="FILE", help="write observed accuracy against score")
    p.add_argument("--csv", metavar="FILE", help="export every row as CSV")
    p.add_argument(
        "--reclassify", action="store_true", help="update predictions with the current classifier"
    )
    p.add_argument("--list", action="store_true", help="list the jobs (filters below)")
    p.add_argument("--form", help="with --list: one decomposition form (e.g. h_of_sum)")
    p.add_argument("--prime", type=int, help="with --list: one prime")
    p.add_argument(
        "--agreement",
        choices=("agrees", "disagrees", "undetermined"),
        help="with --list: whether training agreed with the prediction",
    )
    return parser


def shadowing_folder() -> str | None:
    """The folder imported as ``polyclass`` when it is not the package (None when all is well).

    A clone of the repository named ``polyclass`` in the current directory is imported as a
    namespace package (it has no ``__init__.py``; the package is ``polyclass/polyclass``):
    ``python -m polyclass`` run from the clone's parent then finds the real submodules
    through an editable install but not the package's own names.
    """
    package = sys.modules.get(__package__.rpartition(".")[0] or "polyclass")
    if package is None or getattr(package, "__file__", None) is not None:
        return None
    return next(iter(getattr(package, "__path__", [])), "?")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``polyclass`` command; returns the exit status."""
    folder = shadowing_folder()
    if folder is not None:
        print(
            f"polyclass: error: Python imported the folder {folder} as 'polyclass' instead of "
            "the package (a clone named polyclass in the current directory?); run from "
            "another directory or from inside the clone",
            file=sys.stderr,
        )
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _one_line_warning(args.command)
    try:
        result, text = args.handler(args)
        if args.json:
            print(json.dumps(result.to_dict(), indent=2))
        else:
            print(text)
    except Interrupted as err:
        print(f"polyclass {args.command}: {err}", file=sys.stderr)
        return 130
    except PolyclassError as err:
        print(f"polyclass {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"polyclass {args.command}: interrupted", file=sys.stderr)
        return 130
    return 0


def _one_line_warning(command: str) -> Callable[..., None]:
    """Warnings as one line each on stderr: ``polyclass train: warning: ...``."""

    def show(message: Warning | str, category: type[Warning], *args: Any, **kw: Any) -> None:
        print(f"polyclass {command}: warning: {message}", file=sys.stderr)

    return show


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

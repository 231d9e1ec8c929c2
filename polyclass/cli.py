"""The ``polyclass`` command: one thin subcommand per stage, no science inside.

Each subcommand parses its options, calls one library function and prints either a short
readable summary or, with ``--json``, exactly the result's ``to_dict()``. Errors a user
can cause are printed as one line on stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .errors import PolyclassError

Handler = Callable[[argparse.Namespace], tuple[Any, str]]


def _poly(args: argparse.Namespace) -> Any:
    from .parse import parse

    variables = args.variables.replace(",", " ").split() if args.variables else None
    return parse(args.polynomial, args.p, variables=variables)


def _cmd_parse(args: argparse.Namespace) -> tuple[Any, str]:
    import numpy as np

    P = _poly(args)
    lines = [
        str(P),
        f"variables: {', '.join(P.variables) or '(none)'}",
        f"expanded over GF({P.p}): {P.expanded()}",
    ]
    try:
        table = P.table()
    except PolyclassError as err:
        lines.append(f"table: not built ({err})")
    else:
        values, counts = np.unique(table, return_counts=True)
        lines.append(
            f"table: shape {table.shape}, {len(values)} distinct values, "
            f"most common {int(values[counts.argmax()])} ({counts.max() / table.size:.2%})"
        )
    return P, "\n".join(lines)


def _cmd_decompose(args: argparse.Namespace) -> tuple[Any, str]:
    from .decompose import decompose

    D = decompose(_poly(args))
    lines = [str(D), "DAG:"]
    G = D.graph
    for node in G.nodes:
        srcs = ", ".join(str(s) for s in G.predecessors(node))
        lines.append(
            f"  {node} [{G.nodes[node]['kind']}: {G.nodes[node]['label']}]"
            + (f" <- {srcs}" if srcs else "")
        )
    if args.dot:
        _write_dot(G, args.dot)
        lines.append(f"wrote {args.dot}")
    return D, "\n".join(lines)


def _write_dot(graph: Any, path: str) -> None:
    """Graphviz text of the DAG (no pydot needed)."""
    out = ["digraph decomposition {", "  rankdir=LR;"]
    for node, data in graph.nodes(data=True):
        label = f"{data['kind']}\\n{data['label']}".replace('"', "'")
        out.append(f'  "{node}" [label="{label}"];')
    for src, dst, data in graph.edges(data=True):
        extra = ", ".join(f"{k}={v}" for k, v in data.items())
        out.append(f'  "{src}" -> "{dst}"' + (f' [label="{extra}"]' if extra else "") + ";")
    out.append("}")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(out) + "\n")
    except OSError as err:
        raise PolyclassError(f"cannot write {path}: {err.strerror}") from None


def _width(text: str | None) -> int | str | None:
    if text is None or text == "min":
        return text
    try:
        return int(text)
    except ValueError:
        raise PolyclassError(f"--width must be an integer or 'min', not {text!r}") from None


def _dtype(name: str) -> Any:
    import torch

    return {"float32": torch.float32, "float64": torch.float64}[name]


def _cmd_compile(args: argparse.Namespace) -> tuple[Any, str]:
    from .compile import compile as compile_network
    from .verify import verify

    net = compile_network(
        _poly(args),
        method=args.method,
        width=_width(args.width),
        device=args.device,
        dtype=_dtype(args.dtype),
        seed=args.seed,
    )
    lines = [f"{net.metadata['polynomial']}: {args.method} network, widths {net.widths}"]
    if args.output:
        try:
            net.save(args.output)
        except OSError as err:
            raise PolyclassError(f"cannot write {args.output}: {err.strerror}") from None
        lines.append(f"wrote {args.output}")
    if not args.no_verify:
        report = verify(net)
        lines.append(str(report))
    return _Result({"metadata": net.metadata, "widths": list(net.widths)}), "\n".join(lines)


def _cmd_verify(args: argparse.Namespace) -> tuple[Any, str]:
    import os

    from .compile import compile as compile_network
    from .compile import load
    from .verify import verify

    target = args.target
    if os.path.isfile(target):
        net = load(target, device=args.device)
        report = verify(net)
    else:
        args.polynomial = target
        net = compile_network(_poly(args), method=args.method, device=args.device)
        report = verify(net, net.metadata["polynomial"])
    return report, str(report)


def _cmd_classify(args: argparse.Namespace) -> tuple[Any, str]:
    from .learnability import classify

    verdict = classify(_poly(args), alpha=args.alpha, time_budget=args.time_budget)
    return verdict, f"{verdict}\n{verdict.reason}"


def _interrupt_callback(path: Any) -> Any:
    """Ctrl-C during training: save a checkpoint at the next step boundary, then stop."""
    from .train import Callback

    class Interrupt(Callback):
        def __init__(self) -> None:
            self.requested = False
            self.saved: Any = None

        def request(self, signum: int, frame: Any) -> None:
            if self.requested:  # a second Ctrl-C stops at once
                raise KeyboardInterrupt
            self.requested = True

        def on_step_end(self, trainer: Any) -> None:
            if self.requested and self.saved is None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    self.saved = trainer.save_checkpoint(path)
                except OSError as err:
                    raise PolyclassError(f"cannot write the checkpoint {path}: {err}") from None
                trainer.should_stop = True

    return Interrupt()


def _train_options(args: argparse.Namespace) -> dict[str, Any]:
    names = ("width", "steps", "lr", "loss", "optimizer", "train_fraction", "seed", "device")
    options = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    if args.wd is not None:
        options["weight_decay"] = args.wd
    if args.dtype is not None:
        options["dtype"] = args.dtype
    return options


def _cmd_train(args: argparse.Namespace) -> tuple[Any, str]:
    import signal
    from pathlib import Path

    from .runs import save_run
    from .train import TrainConfig, Trainer, as_task, load_checkpoint

    out = Path(args.output) if args.output else None
    if args.resume:
        trainer = load_checkpoint(args.resume, **({"steps": args.steps} if args.steps else {}))
        polynomial = trainer.tasks[0].label
    else:
        P = _poly(args)
        polynomial = str(P)
        cfg = TrainConfig(**_train_options(args))
        trainer = Trainer([as_task(P)], cfg, [cfg.seed])
    # a copy of the network at initialisation, for the IPR histogram of `polyclass plot`
    initial = trainer.model.model(0) if out is not None and not args.resume else None
    interrupt = _interrupt_callback((out or Path(".")) / "interrupted.pt")
    trainer.callbacks.append(interrupt)
    previous = signal.signal(signal.SIGINT, interrupt.request)
    try:
        (result,) = trainer.run()
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupt.saved is not None:
        raise _Interrupted(
            f"interrupted at step {trainer.step}; checkpoint {interrupt.saved}; continue with: "
            f"polyclass train --resume {interrupt.saved}" + (f" -o {out}" if out else "")
        )
    lines = [str(result)]
    if out is not None:
        save_run(result, out, polynomial=polynomial, initial=initial)
        lines.append(f"wrote {out}/")
    return result, "\n".join(lines)


class _Interrupted(PolyclassError):
    """Training stopped by Ctrl-C after saving a checkpoint (exit status 130)."""


def _cmd_check(args: argparse.Namespace) -> tuple[Any, str]:
    from .train import check

    result = check(_poly(args), **_train_options(args))
    return result, str(result)


def _cmd_plot(args: argparse.Namespace) -> tuple[Any, str]:
    import os

    from . import plot
    from .runs import load_run

    source = args.source
    if os.path.isdir(source):
        run = load_run(source)
        if args.kind == "ipr":
            from .analysis import ipr

            initial = None if run.initial is None else ipr(run.initial, run.polynomial)
            fig = plot.ipr_histogram(ipr(run.model, run.polynomial), initial)
        elif args.kind == "weights":
            fig = plot.weight_heatmaps({"trained": run.model}, run.polynomial)
        else:
            fig = plot.training_curves(run)
    elif os.path.isfile(source):
        from .compile import load

        net = load(source, device="cpu")
        poly = net.metadata.get("polynomial")
        if poly is None or not hasattr(net, "embed"):
            raise PolyclassError(f"{source}: only single-expert networks with metadata are drawn")
        fig = plot.weight_heatmaps({"network": net}, poly)
    else:
        raise PolyclassError(f"{source} is neither a run folder nor a network file")
    _save_figure(fig, args.output)
    return _Result({"figure": args.output, "source": source}), f"wrote {args.output}"


class _Result:
    """A plain dict result for subcommands whose library value has no to_dict()."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        return self.data


def _cmd_sweep(args: argparse.Namespace) -> tuple[Any, str]:
    from .atlas import sweep

    options = {k: v for k, v in (("width", args.width), ("steps", args.steps)) if v is not None}
    summary = sweep(
        args.family,
        db=args.db,
        seeds=args.seeds,
        backend=args.backend,
        address=args.address,
        batch_size=args.batch_size,
        workers=args.workers,
        max_polynomials=args.max_polynomials,
        **options,
    )
    return summary, str(summary)


def _cmd_atlas(args: argparse.Namespace) -> tuple[Any, str]:
    from .atlas import atlas, reclassify

    lines = []
    if args.reclassify:
        lines.append(f"reclassified {reclassify(args.db)} polynomials with the current classifier")
    report = atlas(args.db)
    lines.append(str(report))
    if args.csv:
        report.to_csv(args.csv)
        lines.append(f"wrote {args.csv}")
    if args.plot:
        _save_figure(report.plot(), args.plot)
        lines.append(f"wrote {args.plot}")
    return report, "\n".join(lines)


def _save_figure(fig: Any, path: str) -> None:
    try:
        fig.savefig(path, dpi=120)
    except (OSError, ValueError) as err:
        raise PolyclassError(f"cannot write figure {path}: {err}") from None


def _add_poly_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("polynomial", help='polynomial text, e.g. "(4x + y^2)^3 mod 97"')
    parser.add_argument("-p", "--p", type=int, default=None, help="modulus, if not in the text")
    parser.add_argument("--variables", help="variable order, e.g. 'x,y' (default: natural)")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="polyclass",
        description="Modular polynomials and the neural networks that compute them.",
    )
    parser.add_argument("--version", action="version", version=f"polyclass {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print the result's to_dict() as JSON")
        p.set_defaults(handler=handler)
        return p

    p = command("parse", _cmd_parse, "normalised polynomial, variables and table summary")
    _add_poly_arguments(p)
    p = command("decompose", _cmd_decompose, "form, h / g maps and the DAG of a polynomial")
    _add_poly_arguments(p)
    p.add_argument("--dot", metavar="FILE", help="also write the DAG as Graphviz text")
    p = command("compile", _cmd_compile, "write down a network that is right on every input")
    _add_poly_arguments(p)
    p.add_argument("--method", choices=("exact", "paper"), default="exact")
    p.add_argument("--width", default=None, help="hidden width, or 'min' (default: automatic)")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--seed", type=int, default=0, help="random phases of --method paper")
    p.add_argument("-o", "--output", metavar="FILE", help="save the network (.safetensors)")
    p.add_argument("--no-verify", action="store_true", help="skip the exhaustive check")
    p = command(
        "verify", _cmd_verify, "check a saved network (or a compiled polynomial) on every input"
    )
    p.add_argument("target", help="a .safetensors network file, or polynomial text")
    p.add_argument("-p", "--p", type=int, default=None, help="modulus, if not in the text")
    p.add_argument("--variables", help="variable order, e.g. 'x,y' (default: natural)")
    p.add_argument("--method", choices=("exact", "paper"), default="exact")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
    p = command("classify", _cmd_classify, "predict learnability, with a proof either way")
    _add_poly_arguments(p)
    p.add_argument("--alpha", type=float, default=0.5, help="training fraction for the score")
    p.add_argument("--time-budget", type=float, default=10.0, help="seconds before 'undetermined'")
    for name, handler, text in (
        ("train", _cmd_train, "train a network on the table (the paper's recipe by default)"),
        ("check", _cmd_check, "classify, train, and compare prediction with outcome"),
    ):
        p = command(name, handler, text)
        p.add_argument("polynomial", nargs="?" if name == "train" else None, help="polynomial text")
        p.add_argument("-p", "--p", type=int, default=None, help="modulus, if not in the text")
        p.add_argument("--variables", help="variable order, e.g. 'x,y' (default: natural)")
        p.add_argument("--width", type=int, default=None, help="hidden width")
        p.add_argument("--steps", type=int, default=None, help="training steps")
        p.add_argument("--lr", type=float, default=None, help="learning rate")
        p.add_argument("--wd", type=float, default=None, help="weight decay")
        p.add_argument("--loss", choices=("mse", "cross_entropy"), default=None)
        p.add_argument("--optimizer", choices=("adamw", "adam", "sgd"), default=None)
        p.add_argument("--train-fraction", type=float, default=None, help="share of the table")
        p.add_argument("--seed", type=int, default=None)
        p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
        p.add_argument("--dtype", choices=("float32", "float64"), default=None)
        if name == "train":
            p.add_argument("-o", "--output", metavar="DIR", help="save the run (for plot)")
            p.add_argument("--resume", metavar="CHECKPOINT", help="continue a checkpointed run")
    p = command("plot", _cmd_plot, "figures from a saved run folder or network file")
    p.add_argument("source", help="a run folder (polyclass train -o) or a .safetensors network")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="image file to write")
    p.add_argument(
        "--kind", choices=("curves", "ipr", "weights"), default="curves", help="for run folders"
    )
    p = command("sweep", _cmd_sweep, "classify and train a family of polynomials into a database")
    p.add_argument("--family", required=True, help="spec, .toml or .txt (see docs)")
    p.add_argument("--db", default="atlas.sqlite", help="SQLite results (default atlas.sqlite)")
    p.add_argument("--seeds", type=int, default=1, help="seeds per polynomial (default 1)")
    p.add_argument("--backend", choices=("local", "ray"), default="local")
    p.add_argument("--address", default=None, help="Ray address (with --backend ray)")
    p.add_argument("--batch-size", type=int, default=8, help="models trained together")
    p.add_argument("--workers", type=int, default=None, help="local processes (default: cores)")
    p.add_argument("--max-polynomials", type=int, default=None, help="family size cap")
    p.add_argument("--width", type=int, default=None, help="hidden width (default recipe: 500)")
    p.add_argument("--steps", type=int, default=None, help="training steps (default recipe)")
    p = command("atlas", _cmd_atlas, "predicted against observed learnability in a sweep database")
    p.add_argument("db", help="the sweep's SQLite database")
    p.add_argument("--plot", metavar="FILE", help="write observed accuracy against score")
    p.add_argument("--csv", metavar="FILE", help="export every row as CSV")
    p.add_argument(
        "--reclassify", action="store_true", help="update predictions with the current classifier"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``polyclass`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result, text = args.handler(args)
        if args.json:
            print(json.dumps(result.to_dict(), indent=2))
        else:
            print(text)
    except _Interrupted as err:
        print(f"polyclass {args.command}: {err}", file=sys.stderr)
        return 130
    except PolyclassError as err:
        print(f"polyclass {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"polyclass {args.command}: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

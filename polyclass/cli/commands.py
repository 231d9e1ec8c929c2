"""Handlers of the ``polyclass`` subcommands: each calls one library function.

A handler takes the parsed arguments and returns ``(result, text)``: the library object
(printed with ``--json`` as its ``to_dict()``; a handler whose text says more wraps a dict
with the extra keys in ``_Result``) and a short readable summary.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import PolyclassError


def _poly(args: argparse.Namespace) -> Any:
    from ..parsing import parse

    variables = args.variables.replace(",", " ").split() if args.variables else None
    P = parse(args.polynomial, args.p, variables=variables)
    for note in P.notes:  # valid text that may not mean what was meant
        print(f"polyclass {args.command}: warning: {note}", file=sys.stderr)
    return P


def cmd_parse(args: argparse.Namespace) -> tuple[Any, str]:
    import numpy as np

    P = _poly(args)
    lines = [
        str(P),
        f"variables: {', '.join(P.variables) or '(none)'}",
        f"expanded over GF({P.p}): {P.expanded()}",
    ]
    data = P.to_dict()
    try:
        table = P.table()
    except PolyclassError as err:
        lines.append(f"table: not built ({err})")
        data["table"] = {"error": str(err)}
    else:
        values, counts = np.unique(table, return_counts=True)
        summary = {
            "shape": list(table.shape),
            "distinct_values": len(values),
            "most_common": int(values[counts.argmax()]),
            "most_common_share": float(counts.max() / table.size),
        }
        lines.append(
            f"table: shape {table.shape}, {summary['distinct_values']} distinct values, most "
            f"common {summary['most_common']} ({summary['most_common_share']:.2%})"
        )
        data["table"] = summary
    return _Result(data), "\n".join(lines)


def cmd_decompose(args: argparse.Namespace) -> tuple[Any, str]:
    from ..decomposition import decompose

    D = decompose(_poly(args))
    lines = [str(D), "DAG (node [kind: label] <- its inputs, with edge coefficients and powers):"]
    G = D.graph
    for node in G.nodes:
        srcs = ", ".join(_edge_text(src, G.edges[src, node]) for src in G.predecessors(node))
        lines.append(
            f"  {node} [{G.nodes[node]['kind']}: {G.nodes[node]['label']}]"
            + (f" <- {srcs}" if srcs else "")
        )
    data = D.to_dict()
    if args.dot:
        _write_dot(G, args.dot)
        lines.append(f"wrote {args.dot}")
        data["dot"] = args.dot
    return _Result(data), "\n".join(lines)


def _edge_text(src: str, data: dict[str, Any]) -> str:
    """An input of a DAG node with what the edge carries: ``4*g1_1`` or ``x^2``."""
    if "coefficient" in data:
        return f"{data['coefficient']}*{src}"
    if data.get("exponent", 1) != 1:
        return f"{src}^{data['exponent']}"
    return src


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


def cmd_compile(args: argparse.Namespace) -> tuple[Any, str]:
    from ..compiler import compile as compile_network
    from ..verification import verify

    net = compile_network(
        _poly(args),
        method=args.method,
        width=_width(args.width),
        device=args.device,
        dtype=_dtype(args.dtype),
        seed=args.seed,
    )
    lines = [f"{net.metadata['polynomial']}: {args.method} network, widths {net.widths}"]
    data: dict[str, Any] = {"metadata": net.metadata, "widths": list(net.widths)}
    if args.output:
        try:
            net.save(args.output)
        except OSError as err:
            raise PolyclassError(f"cannot write {args.output}: {err.strerror}") from None
        lines.append(f"wrote {args.output}")
        data["output"] = args.output
    if not args.no_verify:
        report = verify(net)
        lines.append(str(report))
        data["verify"] = report.to_dict()  # accuracy, margins, MSE, as the text says
    return _Result(data), "\n".join(lines)


def cmd_verify(args: argparse.Namespace) -> tuple[Any, str]:
    import os

    from ..compiler import compile as compile_network
    from ..compiler import load
    from ..verification import verify

    target = args.target
    if os.path.isfile(target):
        net = load(target, device=args.device)
        report = verify(net)
    else:
        args.polynomial = target
        net = compile_network(_poly(args), method=args.method, device=args.device)
        report = verify(net, net.metadata["polynomial"])
    return report, str(report)


def cmd_classify(args: argparse.Namespace) -> tuple[Any, str]:
    from ..learnability import classify

    verdict = classify(_poly(args), alpha=args.alpha, time_budget=args.time_budget)
    return verdict, f"{verdict}\n{verdict.reason}"


def _interrupt_callback(path: Any) -> Any:
    """Ctrl-C during training: save a checkpoint at the next step boundary, then stop."""
    from ..training import Callback

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


def cmd_train(args: argparse.Namespace) -> tuple[Any, str]:
    import signal
    from pathlib import Path

    from ..runs import save_run
    from ..training import TrainConfig, Trainer, as_task, load_checkpoint

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
        raise Interrupted(
            f"interrupted at step {trainer.step}; checkpoint {interrupt.saved}; continue with: "
            f"polyclass train --resume {interrupt.saved}" + (f" -o {out}" if out else "")
        )
    lines = [str(result)]
    if out is not None:
        save_run(result, out, polynomial=polynomial, initial=initial)
        lines.append(f"wrote {out}/")
        return _Result(dict(result.to_dict(), output=str(out))), "\n".join(lines)
    return result, "\n".join(lines)


class Interrupted(PolyclassError):
    """Training stopped by Ctrl-C after saving a checkpoint (exit status 130)."""


def cmd_check(args: argparse.Namespace) -> tuple[Any, str]:
    from ..training import check

    result = check(_poly(args), **_train_options(args))
    return result, str(result)


def cmd_plot(args: argparse.Namespace) -> tuple[Any, str]:
    import os

    from .. import plot
    from ..runs import load_run

    source = args.source
    if os.path.isdir(source):
        run = load_run(source)
        if args.kind == "ipr":
            from ..analysis import ipr

            initial = None if run.initial is None else ipr(run.initial, run.polynomial)
            fig = plot.ipr_histogram(ipr(run.model, run.polynomial), initial)
        elif args.kind == "weights":
            fig = plot.weight_heatmaps({"trained": run.model}, run.polynomial)
        else:
            fig = plot.training_curves(run)
    elif os.path.isfile(source):
        from ..compiler import load

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


def cmd_sweep(args: argparse.Namespace) -> tuple[Any, str]:
    from ..atlas import sweep

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
        sample=args.sample,
        sample_seed=args.sample_seed,
        **options,
    )
    data = summary.to_dict()
    text = str(summary)
    if args.sample is not None:
        data["sample"] = {"size": args.sample, "seed": args.sample_seed}
        text += f"\nrandom sample of {args.sample} members (seed {args.sample_seed})"
    return _Result(data), text


def cmd_atlas(args: argparse.Namespace) -> tuple[Any, str]:
    from ..atlas import atlas, reclassify
    from ..decomposition import FORMS

    filters = {"form": args.form, "prime": args.prime, "agreement": args.agreement}
    used = [f"--{name}" for name, value in filters.items() if value is not None]
    if used and not args.list:
        raise PolyclassError(f"{', '.join(used)} filter the listing: add --list")
    if args.form is not None and args.form not in FORMS:
        raise PolyclassError(f"--form must be one of {', '.join(FORMS)}, not {args.form!r}")
    lines = []
    data: dict[str, Any] = {}
    if args.reclassify:
        n = reclassify(args.db)
        lines.append(f"reclassified {n} polynomials with the current classifier")
        data["reclassified"] = n
    report = atlas(args.db)
    if args.list:
        rows = report.select(form=args.form, p=args.prime, agreement=args.agreement)
        lines.append(report.listing(rows))
        lines.append(f"{len(rows)} of {report.jobs} jobs")
        data.update(
            db=report.db,
            filters=filters,
            jobs=[dict(r, agreement=report.outcome(r)) for r in rows],
        )
    else:
        lines.append(str(report))
        data.update(report.to_dict())
    if args.csv:
        report.to_csv(args.csv)
        lines.append(f"wrote {args.csv}")
        data["csv"] = args.csv
    if args.plot:
        _save_figure(report.plot(), args.plot)
        lines.append(f"wrote {args.plot}")
        data["plot"] = args.plot
    return _Result(data), "\n".join(lines)


def _save_figure(fig: Any, path: str) -> None:
    try:
        fig.savefig(path, dpi=120)
    except (OSError, ValueError) as err:
        raise PolyclassError(f"cannot write figure {path}: {err}") from None

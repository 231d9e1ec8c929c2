"""Handlers of the ``polyclass`` subcommands: each calls one library function.

A handler takes the parsed arguments and returns ``(result, text)``: the library object
(printed with ``--json`` as its ``to_dict()``; a handler whose text says more wraps a dict
with the extra keys in ``Result``) and a short readable summary.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import plot
from ..errors import PolyclassError
from ..field import DEFAULT_MAX_TABLE_CELLS as MAX_INPUTS  # verify's default max_inputs
from ..runs import load_run, save_run
from .common import Result, save_figure
from .training_options import refuse_changed_hyperparameters, training_options

if TYPE_CHECKING:  # pragma: no cover
    from ..modpoly import ModPoly
    from ..training import Trainer


def _poly(args: argparse.Namespace) -> ModPoly:
    from ..modpoly import parse

    variables = args.variables.replace(",", " ").split() if args.variables else None
    P = parse(args.polynomial, args.p, variables=variables)
    for note in P.notes:  # valid text that may not mean what was meant
        print(f"polyclass {args.command}: warning: {note}", file=sys.stderr)
    return P


def cmd_parse(args: argparse.Namespace) -> tuple[Any, str]:
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
    return Result(data), "\n".join(lines)


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
    return Result(data), "\n".join(lines)


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


def _memory(text: str | None) -> int | None:
    """``--max-memory``: bytes, or a number with K, M, G or T (powers of 1024)."""
    if text is None:
        return None
    scale = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    body = text.strip().upper().removesuffix("B")
    factor = scale.get(body[-1:], 1)
    try:
        value = float(body[:-1] if factor > 1 else body) * factor
    except ValueError:
        value = float("nan")
    if not (value >= 1 and value < 2**60):
        raise PolyclassError(
            f"--max-memory must be a positive size such as 2G, 512M or 1073741824, not {text!r}"
        )
    return int(value)


def _check_verifiable(P: ModPoly, hint: str) -> None:
    """Refuse, before compiling, a polynomial whose exhaustive check is above the input cap
    (verify's default ``max_inputs``, the value-table cap)."""
    total = P.p**P.nvars
    if total > MAX_INPUTS:
        raise PolyclassError(
            f"checking {P} on every input covers p^{P.nvars} = {total:,} inputs, above the cap "
            f"of {MAX_INPUTS:,}; {hint}"
        )


def _check_output(path: str | None) -> None:
    """Refuse an output path in a folder that does not exist, before any work is done."""
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise PolyclassError(f"cannot write {path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise PolyclassError(f"cannot write {path}: it is a folder; give a file name")


def cmd_compile(args: argparse.Namespace) -> tuple[Any, str]:
    _check_output(args.output)
    max_bytes = _memory(args.max_memory)
    poly = _poly(args)
    if not args.no_verify:
        _check_verifiable(poly, "pass --no-verify to compile it without the check")
    from ..compiler import compile as compile_network  # torch: after the quick refusals
    from ..verification import verify

    net = compile_network(
        poly,
        method=args.method,
        width=_width(args.width),
        device=args.device,
        dtype=args.dtype,
        seed=args.seed,
        max_bytes=max_bytes,
    )
    assert net.info is not None
    lines = [f"{net.info.polynomial}: {args.method} network, widths {net.widths}"]
    data: dict[str, Any] = {"info": net.info.to_dict(), "widths": list(net.widths)}
    if args.output:
        try:
            net.save(args.output)
        except Exception as err:  # noqa: BLE001 - OSError, or the safetensors writer's own
            raise PolyclassError(f"cannot write {args.output}: {err}") from None
        lines.append(f"wrote {args.output}")
        data["output"] = args.output
    if not args.no_verify:
        report = verify(net, max_bytes=max_bytes, chunk_size=args.chunk_size)
        lines.append(str(report))
        data["verify"] = report.to_dict()  # accuracy, margins, MSE, as the text says
    return Result(data), "\n".join(lines)


_NETWORK_SUFFIXES = (".safetensors", ".pt", ".pth", ".bin")


def cmd_verify(args: argparse.Namespace) -> tuple[Any, str]:
    target, max_bytes = args.target, _memory(args.max_memory)
    if os.path.exists(target) or target.endswith(_NETWORK_SUFFIXES):
        from ..compiler import load

        net = load(target, device=args.device)  # says so when the file does not exist
    else:
        args.polynomial = target
        poly = _poly(args)
        _check_verifiable(poly, "verify a smaller prime")
        from ..compiler import compile as compile_network  # torch: after the quick refusals

        net = compile_network(poly, method=args.method, device=args.device, max_bytes=max_bytes)
    from ..verification import verify

    report = verify(net, max_bytes=max_bytes, chunk_size=args.chunk_size)
    return report, str(report)


def cmd_classify(args: argparse.Namespace) -> tuple[Any, str]:
    from ..learnability import classify

    verdict = classify(_poly(args), alpha=args.alpha, time_budget=args.time_budget)
    return verdict, f"{verdict}\n{verdict.reason}"


def _interrupt_callback(path: Path) -> Any:
    """Ctrl-C during training: save a checkpoint at the next step boundary, then stop."""
    from ..training import Callback

    class Interrupt(Callback):
        def __init__(self) -> None:
            self.requested = False
            self.saved: Path | None = None

        def request(self, signum: int, frame: Any) -> None:
            if self.requested:  # a second Ctrl-C stops at once
                raise KeyboardInterrupt
            self.requested = True

        def on_step_end(self, trainer: Trainer) -> None:
            if self.requested and self.saved is None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    self.saved = trainer.save_checkpoint(path)
                except OSError as err:
                    raise PolyclassError(f"cannot write the checkpoint {path}: {err}") from None
                trainer.should_stop = True

    return Interrupt()


def cmd_train(args: argparse.Namespace) -> tuple[Any, str]:
    from ..training import as_task, load_checkpoint, make_trainer
    from ..training.config import resolve, split_options
    from ..training.loop import build_model

    out = Path(args.output) if args.output else None
    if args.resume:
        given, run_options = split_options(training_options(args))
        steps = {"steps": given.pop("steps")} if "steps" in given else {}
        trainer = load_checkpoint(args.resume, **steps, **run_options)
        refuse_changed_hyperparameters(trainer.config, given)
        polynomial = trainer.tasks[0].label
        if args.polynomial is None and (args.p is not None or args.variables):
            raise PolyclassError("-p and --variables go with a polynomial; --resume needs neither")
        if args.polynomial is not None and str(_poly(args)) != polynomial:
            raise PolyclassError(
                f"the checkpoint trains {polynomial}, not {args.polynomial}: a resumed run "
                "continues its own polynomial; drop the polynomial text, or start a new run"
            )
    elif args.polynomial is None:
        raise PolyclassError(
            'train needs a polynomial (e.g. polyclass train "x*y mod 7") or --resume CHECKPOINT'
        )
    else:
        P = _poly(args)
        polynomial = str(P)
        cfg, opts = resolve(None, None, training_options(args))
        trainer = make_trainer([as_task(P)], cfg, [cfg.seed], options=opts)
    # a copy of the network at initialisation, for the IPR histogram of `polyclass plot`
    # (after a resume, rebuilt from the seed: initialisation depends on nothing else)
    initial = None
    if out is not None:
        initial = (build_model(trainer) if args.resume else trainer.model).model(0)
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
        return Result(dict(result.to_dict(), output=str(out))), "\n".join(lines)
    return result, "\n".join(lines)


class Interrupted(PolyclassError):
    """Training stopped by Ctrl-C after saving a checkpoint (exit status 130)."""


def cmd_check(args: argparse.Namespace) -> tuple[Any, str]:
    from ..training import check

    result = check(_poly(args), **training_options(args))
    text = str(result)
    if args.output:
        out = Path(args.output)
        save_run(result.result, out, polynomial=str(result.poly))
        (out / "check.json").write_text(json.dumps(result.to_dict(), indent=1) + "\n")
        text += f"\nwrote {out}/"
    return result, text


def cmd_plot(args: argparse.Namespace) -> tuple[Any, str]:
    source = args.source
    _check_output(args.output)
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
    elif os.path.isfile(source) or source.endswith(_NETWORK_SUFFIXES):
        from ..compiler import load

        net = load(source, device="cpu")
        poly = None if net.info is None else net.info.polynomial
        if poly is None or not hasattr(net, "embed"):
            raise PolyclassError(
                f"{source}: only single-expert networks that record their polynomial are drawn"
            )
        fig = plot.weight_heatmaps({"network": net}, poly)
    else:
        raise PolyclassError(f"{source} does not exist (give a run folder or a network file)")
    save_figure(fig, args.output)
    return Result({"figure": args.output, "source": source}), f"wrote {args.output}"

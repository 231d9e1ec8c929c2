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
        max_polynomials=args.max_polynomials,
        **options,
    )
    return summary, str(summary)


def _cmd_atlas(args: argparse.Namespace) -> tuple[Any, str]:
    from .atlas import atlas

    report = atlas(args.db)
    lines = [str(report)]
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
    p = command("sweep", _cmd_sweep, "classify and train a family of polynomials into a database")
    p.add_argument("--family", required=True, help="spec, .toml or .txt (see docs)")
    p.add_argument("--db", default="atlas.sqlite", help="SQLite results (default atlas.sqlite)")
    p.add_argument("--seeds", type=int, default=1, help="seeds per polynomial (default 1)")
    p.add_argument("--backend", choices=("local", "ray"), default="local")
    p.add_argument("--address", default=None, help="Ray address (with --backend ray)")
    p.add_argument("--batch-size", type=int, default=8, help="models trained together")
    p.add_argument("--max-polynomials", type=int, default=None, help="family size cap")
    p.add_argument("--width", type=int, default=None, help="hidden width (default recipe: 500)")
    p.add_argument("--steps", type=int, default=None, help="training steps (default recipe)")
    p = command("atlas", _cmd_atlas, "predicted against observed learnability in a sweep database")
    p.add_argument("db", help="the sweep's SQLite database")
    p.add_argument("--plot", metavar="FILE", help="write observed accuracy against score")
    p.add_argument("--csv", metavar="FILE", help="export every row as CSV")
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
    except PolyclassError as err:
        print(f"polyclass {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"polyclass {args.command}: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

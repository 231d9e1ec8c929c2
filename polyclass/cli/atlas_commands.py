"""Handlers of the atlas subcommands: ``sweep`` and ``atlas``."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import PolyclassError
from .common import Result, save_figure


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
        progress=False if args.quiet else None,
        sample=args.sample,
        sample_seed=args.sample_seed,
        **options,
    )
    data = summary.to_dict()
    text = str(summary)
    if args.sample is not None:
        data["sample"] = {"size": args.sample, "seed": args.sample_seed}
        text += f"\nrandom sample of {args.sample} members (seed {args.sample_seed})"
    return Result(data), text


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
        save_figure(report.plot(), args.plot)
        lines.append(f"wrote {args.plot}")
        data["plot"] = args.plot
    return Result(data), "\n".join(lines)

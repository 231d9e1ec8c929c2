"""Exhaustive, chunked check of a network against the exact value table: `verify`.

Every one of the ``p^S`` inputs is evaluated, ``chunk_size`` at a time, so memory stays
bounded (``chunk_size * p`` logits) whatever ``p`` and ``S`` are; the expected values come from
``ModPoly.evaluate`` on the same chunk (or from a given table).

Examples:
    >>> import polyclass as pc
    >>> R = pc.verify(pc.compile("x*y mod 23", device="cpu"), "x*y mod 23")
    >>> R.accuracy, R.n_cases
    (1.0, 529)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from .errors import PolyclassError, TableTooLargeError
from .experts.budget import DEFAULT_MAX_BYTES, over_cap
from .field import DEFAULT_MAX_TABLE_CELLS
from .modpoly import ModPoly, as_modpoly, parse
from .validation import as_table, check_bytes, check_int

#: Default cap on the number of inputs checked (p^S): the value-table cap.
MAX_INPUTS = DEFAULT_MAX_TABLE_CELLS

#: Default number of logits (inputs x p) evaluated at once: 32 MiB of float64.
DEFAULT_CELLS = 1 << 22


@dataclass(frozen=True)
class VerifyReport:
    """Result of an exhaustive check (immutable; `to_dict` is JSON-ready).

    ``failures``: the first failing inputs as ``(inputs, expected, predicted)``;
    ``min_margin``: least ``logit[right] - max logit[wrong]`` over all inputs (negative when some
    input fails); ``mse``: mean over inputs and outputs of ``(logit - onehot)^2``.
    """

    polynomial: str
    p: int
    n_cases: int  # inputs checked: p^S when complete
    n_correct: int
    accuracy: float
    min_margin: float
    mean_margin: float
    mse: float
    failures: tuple[tuple[tuple[int, ...], int, int], ...]
    seconds: float
    device: str
    dtype: str
    complete: bool = True

    @property
    def n_inputs(self) -> int:
        """The former name of `n_cases` (which is not the number S of inputs)."""
        return self.n_cases

    def to_dict(self) -> dict[str, Any]:
        return {
            "polynomial": self.polynomial,
            "p": self.p,
            "n_cases": self.n_cases,
            "n_correct": self.n_correct,
            "accuracy": self.accuracy,
            "min_margin": self.min_margin,
            "mean_margin": self.mean_margin,
            "mse": self.mse,
            "failures": [
                {"inputs": list(x), "expected": e, "predicted": g} for x, e, g in self.failures
            ],
            "seconds": self.seconds,
            "device": self.device,
            "dtype": self.dtype,
            "complete": self.complete,
        }

    def __str__(self) -> str:
        head = (
            f"{self.polynomial}: accuracy {self.accuracy:.6f} ({self.n_correct}/{self.n_cases}),"
            f" min margin {self.min_margin:.4g}, MSE {self.mse:.4g}"
        )
        if self.failures:
            x, e, g = self.failures[0]
            head += f"; first failure f{x} = {e}, predicted {g}"
        return head


def verify(
    net: nn.Module,
    poly: ModPoly | str | object | None = None,
    *,
    table: npt.ArrayLike | None = None,
    chunk_size: int | None = None,
    max_failures: int = 10,
    stop_on_failure: bool = False,
    max_inputs: int = MAX_INPUTS,
    max_bytes: int | None = None,
) -> VerifyReport:
    """Evaluate ``net`` on all ``p^S`` inputs and compare with the exact values.

    ``poly``: a ModPoly, polynomial text or Decomposition (default: the polynomial, or else
    the structure's tables, recorded in ``net.info``); or pass ``table``, an int array of
    shape ``(p,)*S``.
    ``net`` maps a LongTensor ``(batch, S)`` to logits ``(batch, p)``.
    ``chunk_size``: inputs per forward pass (default: about 4M hidden values or logits at a
    time, so memory stays near 16-32 MiB per tensor whatever p, S and the width are).
    ``stop_on_failure`` ends at the first failing chunk (``complete=False`` in the report).
    ``max_inputs``: refuse (TableTooLargeError) input spaces larger than this.
    ``max_bytes``: cap on the memory verifying may allocate (default 1 GiB): the value table
    it builds (when ``table=`` or ``net.info``'s structure gives ``f``) and one chunk's points,
    hidden values and logits are priced before they exist, and an estimate above the cap
    raises TableTooLargeError with the estimate.
    An input counts as right when its right logit beats every other one strictly (ties fail).
    """
    if not isinstance(net, nn.Module):
        raise PolyclassError(f"verify needs a network (a torch Module), not {type(net).__name__}")
    max_inputs = check_int(max_inputs, "max_inputs", minimum=1)
    max_failures = check_int(max_failures, "max_failures", minimum=0)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else check_bytes(max_bytes)
    if chunk_size is None:
        chunk_size = max(1, DEFAULT_CELLS // max(_alphabet(net, poly, table), 1))
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    params = list(net.parameters())
    device = params[0].device if params else torch.device("cpu")
    dtype = params[0].dtype if params else torch.float32
    P: ModPoly | None = None
    tab: npt.NDArray[np.int64] | None = None
    info = getattr(net, "info", None)
    if table is not None:
        tab, p = as_table(table, max_cells=max_inputs)
        S = tab.ndim
        name = getattr(info, "polynomial", None) or f"table mod {p}"
    elif poly is None and info is not None and info.polynomial is None and info.structure:
        # compiled from a table, verdict or structure: its maps define f (tabulated below)
        p, S, name = info.p, len(info.variables), f"the {info.form} structure recorded in net.info"
    else:
        if poly is None:
            if info is None or info.polynomial is None:
                raise PolyclassError(
                    "verify needs the polynomial (or table=) for a network whose net.info does "
                    "not record one"
                )

            variables = info.variables
            poly = parse(info.polynomial, variables=tuple(variables) if variables else None)
        if hasattr(poly, "poly") and isinstance(poly.poly, ModPoly):
            poly = poly.poly
        P = as_modpoly(poly)
        p, S, name = P.p, P.nvars, str(P)
    _check_shapes_match(net, p, S, name)
    total = p**S
    if total > max_inputs:
        raise TableTooLargeError(
            f"exhaustive verification of {name} covers p^{S} = {total:,} inputs, above "
            f"max_inputs={max_inputs:,} (about {total * p * 4 / 2**40:.1f} TiB of logits to "
            "compute); pass max_inputs= to allow it, or check a smaller prime"
        )
    tabulate = tab is None and P is None
    chunk_size = min(chunk_size, total)
    cells = total if tab is not None or tabulate else 0
    _check_memory(net, name, p, S, cells, chunk_size, dtype, limit)
    if tabulate:
        assert info is not None
        tab = info.table()
        if tab is None or tab.shape != (p,) * S:
            raise PolyclassError(f"net.info's structure does not give a table of shape {(p,) * S}")
    radix = p ** np.arange(S - 1, -1, -1, dtype=np.int64)
    n_correct = 0
    min_margin = float("inf")
    margin_sum = 0.0
    sq_sum = 0.0
    failures: list[tuple[tuple[int, ...], int, int]] = []
    done = 0
    t0 = time.perf_counter()
    was_training = net.training
    net.eval()
    try:
        with torch.no_grad():
            for start in range(0, total, chunk_size):
                idx = np.arange(start, min(start + chunk_size, total), dtype=np.int64)
                points = (idx[:, None] // radix[None, :]) % p
                want_np = tab.reshape(-1)[idx] if tab is not None else _evaluate(P, points)
                x = torch.from_numpy(points).to(device)
                want = torch.from_numpy(np.array(want_np, dtype=np.int64)).to(device)
                logits = net(x)
                if logits.shape != (len(idx), p):
                    raise PolyclassError(
                        f"network returned logits of shape {tuple(logits.shape)}, "
                        f"expected ({len(idx)}, {p})"
                    )
                right = logits.gather(1, want[:, None]).squeeze(1)
                # sum_q (logit_q - onehot_q)^2 = sum_q logit_q^2 - 2 logit_right + 1
                sq_sum += float(torch.sum(logits * logits, dtype=torch.float64))
                sq_sum += len(idx) - 2 * float(torch.sum(right, dtype=torch.float64))
                # mask the right logit in place: the best remaining one is the runner-up,
                # and the prediction wherever the input fails (margin <= 0)
                wrong = logits.scatter_(1, want[:, None], -torch.inf).max(dim=1)
                margins = right.double() - wrong.values.double()
                ok = margins > 0
                pred = torch.where(ok, want, wrong.indices)
                n_correct += int(ok.sum())
                min_margin = min(min_margin, float(margins.min()))
                margin_sum += float(margins.sum())
                done += len(idx)
                if len(failures) < max_failures and not bool(ok.all()):
                    bad = torch.nonzero(~ok).flatten()[: max_failures - len(failures)].cpu()
                    for b in bad.tolist():
                        failures.append(
                            (tuple(int(v) for v in points[b]), int(want_np[b]), int(pred[b]))
                        )
                if stop_on_failure and not bool(ok.all()):
                    break
    finally:
        net.train(was_training)
    seconds = time.perf_counter() - t0
    return VerifyReport(
        polynomial=name,
        p=p,
        n_cases=done,
        n_correct=n_correct,
        accuracy=n_correct / max(done, 1),
        min_margin=min_margin,
        mean_margin=margin_sum / max(done, 1),
        mse=sq_sum / max(done * p, 1),
        failures=tuple(failures),
        seconds=seconds,
        device=str(device),
        dtype=str(dtype).replace("torch.", ""),
        complete=done == total,
    )


def _check_shapes_match(net: nn.Module, p: int, S: int, name: str) -> None:
    """Refuse a network built for another modulus or number of inputs than the target."""
    net_p = getattr(net, "p", None)
    if not isinstance(net_p, int):
        net_p = getattr(net, "out_dim", None)
    if isinstance(net_p, int) and net_p != p:
        raise PolyclassError(
            f"the network computes values mod {net_p}, but {name} is modulo {p}; "
            "verify it against a polynomial with the same modulus"
        )
    net_s = getattr(net, "n_inputs", None)
    if isinstance(net_s, int) and net_s != S:
        raise PolyclassError(
            f"the network takes {net_s} inputs, but {name} has {S} variables; "
            "verify it against a polynomial with as many variables"
        )


def _check_memory(
    net: nn.Module,
    name: str,
    p: int,
    S: int,
    cells: int,
    chunk: int,
    dtype: torch.dtype,
    limit: int,
) -> None:
    """Refuse, before it is allocated, a check whose value table (``cells`` int64) and one
    chunk of ``chunk`` inputs (points, indices and, per expert, hidden values and logits)
    would pass ``limit`` bytes."""
    widths = [int(w) for w in getattr(net, "widths", ())] or [_alphabet(net, None, None)]
    per_input = 8 * (2 * S + 4) + dtype.itemsize * (3 * p + sum(2 * w + p for w in widths))
    need = 8 * cells + chunk * per_input
    if need > limit:
        what = f"a value table of {cells:,} int64 cells and " if cells else ""
        hint = "check a smaller prime"
        if 8 * cells <= limit:
            hint = "pass a smaller chunk_size (--chunk-size on the command line)"
        raise TableTooLargeError(
            over_cap(f"verifying {name}", need, limit, f"{what}chunks of {chunk:,} inputs")
            + f", or {hint}"
        )


def _evaluate(P: ModPoly | None, points: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    assert P is not None
    return P.evaluate(points)


def _alphabet(net: nn.Module, poly: object, table: npt.ArrayLike | None) -> int:
    """Largest per-input row (hidden width or p) of ``net``: sizes the chunks."""
    sizes = [int(w) for w in getattr(net, "widths", ())]
    out_dim = getattr(net, "out_dim", None) or getattr(net, "p", None)
    if isinstance(out_dim, int):
        sizes.append(out_dim)
    elif table is not None:
        sizes.append(int(np.shape(table)[0]))
    return max(sizes, default=1 << 10)

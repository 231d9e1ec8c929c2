"""Exhaustive, chunked check of a network against the exact value table: :func:`verify`.

Every one of the ``p^S`` inputs is evaluated, ``chunk_size`` at a time, so memory stays
bounded (``chunk_size * p`` logits) whatever ``p`` and ``S`` are; the expected values come from
``ModPoly.evaluate`` on the same chunk (or from a given table).

>>> import polyclass as pc
>>> R = pc.verify(pc.compile("x*y mod 23", device="cpu"), "x*y mod 23")
>>> R.accuracy, R.n_inputs
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
from .modpoly import ModPoly
from .parsing import as_modpoly

#: Default cap on the number of inputs checked (p^S).
MAX_INPUTS = 1 << 31

#: Default number of logits (inputs x p) evaluated at once: 32 MiB of float64.
DEFAULT_CELLS = 1 << 22


@dataclass(frozen=True)
class VerifyReport:
    """Result of an exhaustive check (immutable; :meth:`to_dict` is JSON-ready).

    ``failures``: the first failing inputs as ``(inputs, expected, predicted)``;
    ``min_margin``: least ``logit[right] - max logit[wrong]`` over all inputs (negative when some
    input fails); ``mse``: mean over inputs and outputs of ``(logit - onehot)^2``.
    """

    polynomial: str
    p: int
    n_inputs: int
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "polynomial": self.polynomial,
            "p": self.p,
            "n_inputs": self.n_inputs,
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
            f"{self.polynomial}: accuracy {self.accuracy:.6f} ({self.n_correct}/{self.n_inputs}),"
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
) -> VerifyReport:
    """Evaluate ``net`` on all ``p^S`` inputs and compare with the exact values.

    ``poly``: a ModPoly, polynomial text or Decomposition (default: the polynomial recorded in
    ``net.metadata``); or pass ``table``, an int array of shape ``(p,)*S``.
    ``net`` maps a LongTensor ``(batch, S)`` to logits ``(batch, p)``.
    ``chunk_size``: inputs per forward pass (default: about 4M hidden values or logits at a
    time, so memory stays near 16-32 MiB per tensor whatever p, S and the width are).
    ``stop_on_failure`` ends at the first failing chunk (``complete=False`` in the report).
    ``max_inputs``: refuse (TableTooLargeError) input spaces larger than this.
    An input counts as right when its right logit beats every other one strictly (ties fail).
    """
    if chunk_size is None:
        chunk_size = max(1, DEFAULT_CELLS // max(_alphabet(net, poly, table), 1))
    if chunk_size < 1:
        raise PolyclassError(f"chunk_size must be positive, not {chunk_size}")
    P: ModPoly | None = None
    tab: npt.NDArray[np.int64] | None = None
    if table is not None:
        tab = np.asarray(table, dtype=np.int64)
        p, S = int(tab.shape[0]), tab.ndim
        name = (getattr(net, "metadata", None) or {}).get("polynomial", f"table mod {p}")
    else:
        if poly is None:
            meta = getattr(net, "metadata", None) or {}
            if "polynomial" not in meta:
                raise PolyclassError(
                    "verify needs the polynomial (or table=) for a network without metadata"
                )
            from .parsing import parse

            variables = meta.get("variables")
            poly = parse(meta["polynomial"], variables=tuple(variables) if variables else None)
        if hasattr(poly, "poly") and isinstance(poly.poly, ModPoly):
            poly = poly.poly
        P = as_modpoly(poly)
        p, S, name = P.p, P.nvars, str(P)
    params = list(net.parameters())
    device = params[0].device if params else torch.device("cpu")
    dtype = params[0].dtype if params else torch.float32
    total = p**S
    if total > max_inputs:
        raise TableTooLargeError(
            f"exhaustive verification of {name} covers p^{S} = {total:,} inputs, above "
            f"max_inputs={max_inputs:,} (about {total * p * 4 / 2**40:.1f} TiB of logits to "
            "compute); pass max_inputs= to allow it, or check a smaller prime"
        )
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
        n_inputs=done,
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

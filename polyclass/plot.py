"""Figures (the ``plot`` extra). matplotlib is imported only when a function is called.

Every function returns a matplotlib ``Figure`` and draws nothing on screen:

* :func:`training_curves`: train/test loss and accuracy and mean IPR against step (log
  step axis), memorisation and grokking marked (paper Figs. 2-3 a, b);
* :func:`ipr_histogram`: per-neuron IPR, initial against final (Figs. 2-3 c);
* :func:`weight_heatmaps`: embedding and readout matrices in natural order and as
  Fourier magnitudes in the decomposition's basis, one column per network (compiled
  against trained);
* :func:`width_accuracy`: accuracy against expert width per method (Fig. 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .errors import PolyclassError


def _pyplot() -> Any:
    try:
        import matplotlib

        if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg", "cairo"):
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PolyclassError("figures need matplotlib: pip install 'polyclass[plot]'") from None
    return plt


def _history(obj: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(history, events) from a TrainResult, a Run, a result dict or a history list."""
    if isinstance(obj, Sequence) and not isinstance(obj, (str, bytes)):
        return list(obj), {}
    if isinstance(obj, Mapping):
        return list(obj["history"]), dict(obj)
    if hasattr(obj, "result") and isinstance(obj.result, Mapping):
        return list(obj.result["history"]), dict(obj.result)
    if hasattr(obj, "to_dict"):
        data = obj.to_dict()
        return list(data["history"]), data
    raise PolyclassError(f"cannot read a training history from {type(obj).__name__}")


def training_curves(result: Any, *, title: str | None = None) -> Any:
    """Loss, accuracy and mean IPR against step for a training run.

    ``result``: a TrainResult, a saved run (``polyclass.runs.load_run``), its result dict,
    or a list of history records (``step``, ``train_loss``, ``test_loss``,
    ``train_accuracy``, ``test_accuracy`` and optionally ``mean_ipr``).
    """
    history, events = _history(result)
    if not history:
        raise PolyclassError("the run has no history to plot")
    plt = _pyplot()
    steps = np.array([max(int(r["step"]), 1) for r in history])
    has_ipr = any(r.get("mean_ipr") is not None for r in history)
    fig, axes = plt.subplots(1, 3 if has_ipr else 2, figsize=(13 if has_ipr else 9, 3.6))
    panels = [
        ("loss", ("train_loss", "test_loss"), True),
        ("accuracy", ("train_accuracy", "test_accuracy"), False),
    ]
    for ax, (name, keys, log_y) in zip(axes, panels, strict=False):
        for key in keys:
            ax.plot(steps, [r[key] for r in history], label=key.split("_")[0])
        ax.set_xscale("log")
        if log_y:
            ax.set_yscale("log")
        ax.set_xlabel("step")
        ax.set_ylabel(name)
        ax.legend()
    if has_ipr:
        ipr_steps = [
            s for s, r in zip(steps, history, strict=True) if r.get("mean_ipr") is not None
        ]
        axes[2].plot(ipr_steps, [r["mean_ipr"] for r in history if r.get("mean_ipr") is not None])
        axes[2].set_xscale("log")
        axes[2].set_xlabel("step")
        axes[2].set_ylabel("mean IPR")
    for key, style in (("memorised_at", ":"), ("grokked_at", "--")):
        step = events.get(key)
        if step is not None:
            for ax in axes:
                ax.axvline(max(int(step), 1), color="grey", ls=style, lw=1, label=key)
    if events.get("grokked_at") is not None:
        axes[1].legend()
    fig.suptitle(title or str(events.get("polynomial") or events.get("label") or "training run"))
    fig.tight_layout()
    return fig


def ipr_histogram(final: Any, initial: Any | None = None, *, bins: int = 30) -> Any:
    """Histogram of per-neuron IPR values (arrays of shape ``(N,)``), initial against final."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.6))
    edges = np.linspace(0, 1, bins + 1)
    if initial is not None:
        ax.hist(np.asarray(initial).ravel(), bins=edges, alpha=0.6, label="initial")
    ax.hist(np.asarray(final).ravel(), bins=edges, alpha=0.6, label="final")
    ax.set_xlabel("IPR per neuron")
    ax.set_ylabel("neurons")
    ax.legend()
    fig.tight_layout()
    return fig


def weight_heatmaps(networks: Mapping[str, Any], poly: Any) -> Any:
    """Input embedding ``U^(1)`` and readout ``W`` of each PowerMLP, natural and spectral.

    ``networks``: name -> PowerMLP (e.g. ``{"compiled": net, "trained": T.model}``);
    ``poly``: the polynomial whose decomposition fixes the basis (Fourier for addition,
    discrete log for multiplication, g-reindexed for ``h_of_sum``).
    """
    from .analysis import _transformed, basis_for

    if not networks:
        raise PolyclassError("give at least one network to draw")
    plt = _pyplot()
    fig, axes = plt.subplots(4, len(networks), figsize=(4.2 * len(networks), 12), squeeze=False)
    for col, (name, net) in enumerate(networks.items()):
        if not hasattr(net, "embed"):
            raise PolyclassError(f"{name}: expected a PowerMLP (compile a single-expert form)")
        embed = net.embed.detach().cpu().double()
        readout = net.readout.detach().cpu().double()
        basis = basis_for(poly, n_inputs=embed.shape[0])
        order = np.argsort(-embed[0].abs().sum(0).numpy())  # strongest neurons first
        U = embed[0][:, order].T  # (N, p)
        Wt = readout[:, order].T  # (N, p)
        panels = [
            (U.numpy(), "U(1), natural order"),
            (_transformed(U, basis.inputs[0]).abs().numpy(), f"U(1), |F| in {basis.kind} basis"),
            (Wt.numpy(), "W^T, natural order"),
            (_transformed(Wt, basis.output).abs().numpy(), f"W^T, |F| in {basis.kind} basis"),
        ]
        for row, (data, label) in enumerate(panels):
            ax = axes[row][col]
            ax.imshow(data[:64], aspect="auto", cmap="RdBu_r" if "natural" in label else "viridis")
            ax.set_title(f"{name}: {label}", fontsize=9)
            ax.set_xlabel("residue" if "natural" in label else "frequency")
            ax.set_ylabel("neuron")
    fig.tight_layout()
    return fig


def width_accuracy(curves: Mapping[str, Sequence[tuple[int, float]]], *, title: str = "") -> Any:
    """Accuracy against hidden width, one line per method (``{"paper": [(N, acc), ...]}``)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for method, points in curves.items():
        pts = sorted(points)
        ax.plot([w for w, _ in pts], [a for _, a in pts], marker="o", label=method)
    ax.set_xscale("log")
    ax.set_xlabel("hidden width N")
    ax.set_ylabel("accuracy over all inputs")
    ax.set_ylim(0, 1.02)
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig

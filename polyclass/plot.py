"""Figures (the ``plot`` extra). matplotlib is imported only when a function is called.

Every function returns a matplotlib ``Figure`` and draws nothing on screen:

* `training_curves`: train/test loss and accuracy and mean IPR against step (log
  step axis), memorisation and grokking marked (paper Figs. 2-3 a, b);
* `ipr_histogram`: per-neuron IPR, initial against final (Figs. 2-3 c);
* `weight_heatmaps`: every input embedding and the readout, in natural order and as
  Fourier magnitudes in the decomposition's basis, neurons sorted by frequency, colour
  bars, one block of rows per network (compiled against trained);
* `comparison_figure`: `polyclass.compare`'s per-neuron phase relation;
* `width_accuracy`: accuracy against expert width per method (Fig. 1).
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


def training_curves(
    result: Any, *, title: str | None = None, iprs: tuple[Any, Any] | None = None
) -> Any:
    """Loss, accuracy and mean IPR against step for a training run.

    ``result``: a TrainResult, a saved run (``polyclass.runs.load_run``), its result dict,
    or a list of history records (``step``, ``train_loss``, ``test_loss``,
    ``train_accuracy``, ``test_accuracy`` and optionally ``mean_ipr``). ``iprs``:
    ``(initial, final)`` per-neuron IPRs, ``(N,)`` each, adds the histogram panel (the
    paper's Figs. 2-3 in one row).
    """
    history, events = _history(result)
    if not history:
        raise PolyclassError("the run has no history to plot")
    plt = _pyplot()
    steps = np.array([max(int(r["step"]), 1) for r in history])
    has_ipr = any(r.get("mean_ipr") is not None for r in history)
    n = (3 if has_ipr else 2) + (iprs is not None)
    fig, axes = plt.subplots(1, n, figsize=(4.4 * n, 3.6))
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
            for ax in axes[: n - (iprs is not None)]:
                ax.axvline(max(int(step), 1), color="grey", ls=style, lw=1, label=key)
    if events.get("grokked_at") is not None:
        axes[1].legend()
    if iprs is not None:
        _ipr_hist(axes[-1], iprs[1], iprs[0], 30)
    fig.suptitle(title or str(events.get("polynomial") or events.get("label") or "training run"))
    fig.tight_layout()
    return fig


def ipr_histogram(final: Any, initial: Any | None = None, *, bins: int = 30) -> Any:
    """Histogram of per-neuron IPR values (arrays of shape ``(N,)``), initial against final."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.6))
    _ipr_hist(ax, final, initial, bins)
    fig.tight_layout()
    return fig


def _ipr_hist(ax: Any, final: Any, initial: Any | None, bins: int) -> None:
    edges = np.linspace(0, 1, bins + 1)
    if initial is not None:
        ax.hist(np.asarray(initial).ravel(), bins=edges, alpha=0.6, label="initial")
    ax.hist(np.asarray(final).ravel(), bins=edges, alpha=0.6, label="final")
    ax.set_xlabel("IPR per neuron")
    ax.set_ylabel("neurons")
    ax.legend()


def neuron_order(net: Any, poly: Any, neurons: int | Sequence[int] | None = None) -> Any:
    """Neuron indices to draw, sorted by the readout's dominant frequency in the basis.

    ``neurons``: ``None`` all of them; an int, the strongest that many (by weight norm);
    a sequence, exactly those. Within a frequency, the most periodic neurons come first.
    """
    from .analysis import spectra

    embed, readout = net.embed.detach().cpu().double(), net.readout.detach().cpu().double()
    width = embed.shape[-1]
    if neurons is None:
        chosen = np.arange(width)
    elif isinstance(neurons, int):
        norm = embed.square().sum((0, 1)) + readout.square().sum(0)
        chosen = np.argsort(-norm.numpy(), kind="stable")[: max(neurons, 1)]
    else:
        chosen = np.asarray(list(neurons), dtype=np.int64)
        if chosen.size == 0 or chosen.min() < 0 or chosen.max() >= width:
            raise PolyclassError(f"neurons must be indices in 0..{width - 1}")
    sp = spectra(net, poly)
    freq, purity = sp.frequency[-1][chosen], sp.power_fraction.mean(0)[chosen]
    return chosen[np.lexsort((-purity, freq))], sp.frequency[-1]


def weight_heatmaps(
    networks: Mapping[str, Any], poly: Any, *, neurons: int | Sequence[int] | None = None
) -> Any:
    """Every input embedding ``U^(s)`` and the readout ``W`` of each PowerMLP, one neuron a row.

    ``networks``: name -> PowerMLP (e.g. ``{"compiled": net, "trained": T.model}``);
    ``poly``: the polynomial whose decomposition fixes the basis (Fourier for addition,
    discrete log for multiplication, g-reindexed for ``h_of_sum``); ``neurons``: all
    (default), the strongest n, or given indices. Per network two rows of panels: weights in
    natural order, then Fourier magnitudes in the basis; neurons sorted by the readout's
    dominant frequency (marked on the right); each panel has a colour bar.
    """
    from .analysis import _transformed, basis_for

    if not networks:
        raise PolyclassError("give at least one network to draw")
    plt = _pyplot()
    nets = list(networks.items())
    for name, net in nets:
        if not hasattr(net, "embed") or net.embed.dim() != 3:
            raise PolyclassError(f"{name}: expected a PowerMLP (compile a single-expert form)")
    S = nets[0][1].embed.shape[0]
    fig, axes = plt.subplots(
        2 * len(nets), S + 1, figsize=(3.4 * (S + 1), 4.2 * len(nets)), squeeze=False
    )
    for block, (name, net) in enumerate(nets):
        embed = net.embed.detach().cpu().double()
        readout = net.readout.detach().cpu().double()
        basis = basis_for(poly, p=embed.shape[1], n_inputs=embed.shape[0])
        order, sigma = neuron_order(net, poly, neurons)
        mats = [(embed[s][:, order].T, basis.inputs[s], f"U({s + 1})") for s in range(S)]
        mats.append((readout[:, order].T, basis.output, "W^T"))
        shown = f"{len(order)} of {embed.shape[-1]} neurons"
        for col, (M, reindex, label) in enumerate(mats):
            top, bottom = axes[2 * block][col], axes[2 * block + 1][col]
            lim = float(M.abs().max()) or 1.0
            im = top.imshow(M.numpy(), aspect="auto", cmap="RdBu_r", vmin=-lim, vmax=lim)
            fig.colorbar(im, ax=top)
            top.set_title(f"{name}: {label}, natural order", fontsize=9)
            top.set_xlabel("residue")
            spec = _transformed(M, reindex).abs().numpy()
            im = bottom.imshow(spec, aspect="auto", cmap="viridis")
            fig.colorbar(im, ax=bottom)
            bottom.set_title(f"{name}: {label}, |F| in {basis.kind} basis", fontsize=9)
            bottom.set_xlabel("frequency")
        for ax in (axes[2 * block][0], axes[2 * block + 1][0]):
            ax.set_ylabel(f"neuron ({shown}, by frequency)")
        _mark_frequencies(axes[2 * block + 1][S], sigma[order])
    fig.tight_layout()
    return fig


def _mark_frequencies(ax: Any, sigma: Any) -> None:
    """Label the first row of each frequency band on the readout spectrum panel."""
    starts = [i for i in range(len(sigma)) if i == 0 or sigma[i] != sigma[i - 1]]
    if len(starts) <= 24:
        ax.set_yticks(starts)
        ax.set_yticklabels([f"f={sigma[i]}" for i in starts], fontsize=7)


def comparison_figure(comparison: Any) -> Any:
    """Readout phase against the predicted one per neuron, and the frequencies used.

    ``comparison``: `polyclass.compare`'s result. Left: for each network, every
    live neuron's phase error (angle to the construction's readout, ``tol`` dashed; pi
    where its frequencies disagree). Right: how many matching neurons use each frequency.
    """
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, rel, marker in (
        ("trained", comparison.trained, "o"),
        ("compiled", comparison.compiled, "x"),
    ):
        err = np.nan_to_num(rel.phase_error, nan=np.pi)[rel.active]
        left.scatter(
            rel.sigma[rel.active],
            err,
            marker=marker,
            s=12,
            alpha=0.6,
            label=f"{name}: {rel.matches.sum()}/{rel.n_active} match ({rel.share:.0%})",
        )
        freqs = comparison.frequencies(name)
        right.bar(
            np.array(list(freqs), dtype=float) + (0.2 if name == "compiled" else -0.2),
            list(freqs.values()),
            width=0.4,
            label=name,
        )
    left.axhline(comparison.tol, color="grey", ls="--", lw=1)
    left.set_xlabel("dominant frequency of the readout (basis " + comparison.trained.basis + ")")
    left.set_ylabel("phase error (rad; pi: frequencies disagree)")
    left.legend(fontsize=8)
    right.set_xlabel("frequency")
    right.set_ylabel("matching neurons")
    right.legend(fontsize=8)
    fig.suptitle(f"{comparison.polynomial}: trained against compiled")
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

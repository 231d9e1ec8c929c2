"""Figures render headless and contain the expected artists."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import polyclass as pc  # noqa: E402
from polyclass import plot  # noqa: E402

HISTORY = [
    {
        "step": s,
        "train_loss": 1 / (s + 1),
        "test_loss": 2 / (s + 1),
        "train_accuracy": min(1, s / 50),
        "test_accuracy": min(1, s / 100),
        "mean_ipr": 0.2 + s / 200,
    }
    for s in range(0, 101, 10)
]


def test_training_curves_have_loss_accuracy_ipr_and_event_markers():
    fig = plot.training_curves({"history": HISTORY, "grokked_at": 100, "memorised_at": 50})
    loss, acc, ipr = fig.axes
    assert loss.get_xscale() == "log" and loss.get_yscale() == "log"
    assert [ln.get_label() for ln in acc.get_lines()[:2]] == ["train", "test"]
    assert len(ipr.get_lines()[0].get_xdata()) == len(HISTORY)
    markers = [ln for ln in acc.get_lines() if ln.get_label() in ("grokked_at", "memorised_at")]
    assert sorted(ln.get_xdata()[0] for ln in markers) == [50, 100]


def test_training_curves_refuse_an_empty_history():
    with pytest.raises(pc.PolyclassError):
        plot.training_curves([])


def test_ipr_histogram_draws_initial_and_final():
    fig = plot.ipr_histogram(np.full(20, 0.9), np.full(20, 0.1), bins=10)
    ax = fig.axes[0]
    assert len(ax.patches) == 20
    heights = [patch.get_height() for patch in ax.patches]
    assert sorted(heights)[-2:] == [20, 20]


def test_weight_heatmaps_compare_networks_in_two_bases():
    net = pc.compile("n1*n2 mod 11", device="cpu")
    fig = plot.weight_heatmaps({"compiled": net, "again": net}, "n1*n2 mod 11")
    assert len(fig.axes) == 8 and all(len(ax.images) == 1 for ax in fig.axes)
    spectrum = fig.axes[2].images[0].get_array()  # compiled U(1), |F| in the log basis
    # a compiled multiplication neuron has one frequency: all power in one column per row
    rows = np.asarray(spectrum)[: net.width - 1]
    assert np.allclose(rows.max(axis=1), rows.sum(axis=1), rtol=1e-6)


def test_width_accuracy_has_one_line_per_method():
    fig = plot.width_accuracy({"paper": [(10, 0.5), (100, 1.0)], "exact": [(6, 1.0)]})
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["paper", "exact"]

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


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images]


def test_weight_heatmaps_show_every_input_and_the_readout_of_every_network():
    net = pc.compile("n1*n2 mod 11", device="cpu")
    fig = plot.weight_heatmaps({"compiled": net, "again": net}, "n1*n2 mod 11")
    panels = image_axes(fig)
    # per network: (U1, U2, W^T) x (natural, spectrum), each with a colour bar
    assert len(panels) == 12 and len(fig.axes) == 24
    titles = [ax.get_title() for ax in panels]
    assert sum("U(2)" in t for t in titles) == 4 and sum("W^T" in t for t in titles) == 4
    spectrum = np.asarray(panels[3].images[0].get_array())  # compiled U(1), |F| log basis
    assert spectrum.shape[0] == net.width  # all neurons
    # a compiled multiplication neuron has one frequency: all power in one column per row
    rows = spectrum[spectrum.sum(axis=1) > 1e-9]
    assert len(rows) == net.width - 1
    assert np.allclose(rows.max(axis=1), rows.sum(axis=1), rtol=1e-6)


def test_weight_heatmaps_sort_neurons_by_frequency_and_take_subsets():
    poly = "(2*n1 + 3*n2)^2 mod 23"
    net = pc.compile(poly, device="cpu")
    order, sigma = plot.neuron_order(net, poly)
    assert sorted(order) == list(range(net.width))
    assert list(sigma[order]) == sorted(sigma)
    strongest, _ = plot.neuron_order(net, poly, 10)
    assert len(strongest) == 10
    fig = plot.weight_heatmaps({"compiled": net}, poly, neurons=[0, 7, 12])
    assert image_axes(fig)[0].images[0].get_array().shape[0] == 3
    with pytest.raises(pc.PolyclassError, match="indices"):
        plot.weight_heatmaps({"compiled": net}, poly, neurons=[999])


def test_comparison_figure_draws_both_networks():
    net = pc.compile("n1 + n2 mod 23", device="cpu")
    fig = plot.comparison_figure(pc.compare(net, net))
    left, right = fig.axes
    assert len(left.collections) == 2 and "6/6 match" in left.get_legend().get_texts()[0].get_text()
    assert len(right.patches) == 2  # one frequency, one bar per network


def test_width_accuracy_has_one_line_per_method():
    fig = plot.width_accuracy({"paper": [(10, 0.5), (100, 1.0)], "exact": [(6, 1.0)]})
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["paper", "exact"]


def test_training_curves_with_iprs_add_the_histogram_panel_without_event_markers():
    fig = plot.training_curves(
        {"history": HISTORY, "grokked_at": 100}, iprs=(np.full(20, 0.1), np.full(20, 0.9))
    )
    assert len(fig.axes) == 4
    hist = fig.axes[3]
    assert len(hist.patches) == 60 and not hist.get_lines()

"""pc.verify: exhaustive, chunked, and honest about failures."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest
import torch

import polyclass as pc
from polyclass.errors import PolyclassError, TableTooLargeError

from reference import table_of


def reference_stats(net, fn, p: int, S: int):
    """Accuracy, least margin and MSE computed directly from the full logit table."""
    table = table_of(fn, p, S)
    x = torch.tensor(list(itertools.product(range(p), repeat=S)))
    with torch.no_grad():
        logits = net(x).double()
    want = torch.from_numpy(table.reshape(-1).copy())
    onehot = torch.nn.functional.one_hot(want, p).double()
    rows = torch.arange(len(want))
    others = logits.clone()
    others[rows, want] = -torch.inf
    margins = logits[rows, want] - others.max(dim=1).values
    acc = float((margins > 0).double().mean())
    return acc, float(margins.min()), float(((logits - onehot) ** 2).mean()), table


def test_report_of_a_correct_network():
    p = 23
    net = pc.compile(f"x*y + 3 mod {p}", device="cpu", dtype=torch.float64)
    R = pc.verify(net, f"x*y + 3 mod {p}")
    acc, margin, mse, _ = reference_stats(net, lambda x, y: x * y + 3, p, 2)
    assert R.accuracy == acc == 1.0
    assert R.n_cases == p**2 and R.n_correct == p**2 and R.complete
    assert R.failures == ()
    assert R.min_margin == pytest.approx(margin)
    assert R.mse == pytest.approx(mse)


def test_failures_are_found_and_reported_with_the_right_values():
    p = 23
    net = pc.compile(f"x + y mod {p}", device="cpu", dtype=torch.float64)
    with torch.no_grad():
        net.readout[5] += 10.0  # logit 5 now wins wherever it is not already right
    acc, margin, mse, table = reference_stats(net, lambda x, y: x + y, p, 2)
    R = pc.verify(net, f"x + y mod {p}", max_failures=4)
    assert R.accuracy == pytest.approx(acc) and R.accuracy < 0.1
    assert R.min_margin == pytest.approx(margin) and R.min_margin < 0
    assert R.mse == pytest.approx(mse)
    assert len(R.failures) == 4
    for inputs, expected, predicted in R.failures:
        assert expected == (inputs[0] + inputs[1]) % p == table[inputs]
        assert predicted == 5


def test_chunk_size_does_not_change_the_report():
    p = 23
    net = pc.compile(f"x^2*y + x mod {p}", device="cpu", dtype=torch.float64)
    a = pc.verify(net, chunk_size=7)
    b = pc.verify(net)
    for key in ("n_cases", "n_correct", "accuracy", "failures"):
        assert getattr(a, key) == getattr(b, key)
    assert a.min_margin == pytest.approx(b.min_margin)
    assert a.mse == pytest.approx(b.mse, rel=1e-9)


def test_table_argument_and_metadata_default():
    p = 5
    net = pc.compile(f"x*y*z mod {p}", device="cpu")
    by_meta = pc.verify(net)
    by_table = pc.verify(net, table=table_of(lambda x, y, z: x * y * z, p, 3))
    assert by_meta.accuracy == by_table.accuracy == 1.0
    assert by_meta.n_cases == by_table.n_cases == 125
    wrong = pc.verify(net, table=table_of(lambda x, y, z: x * y * z + 1, p, 3))
    assert wrong.accuracy == 0.0


def test_stop_on_failure_marks_the_report_incomplete():
    p = 23
    net = pc.compile(f"x + y mod {p}", device="cpu")
    R = pc.verify(net, f"x + y + 1 mod {p}", chunk_size=50, stop_on_failure=True)
    assert not R.complete and R.n_cases == 50 == R.n_inputs and R.accuracy == 0.0


def test_report_is_immutable_and_json_ready():
    R = pc.verify(pc.compile("x*y mod 5", device="cpu"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        R.accuracy = 0.5  # type: ignore[misc]
    d = json.loads(json.dumps(R.to_dict()))
    assert d["accuracy"] == 1.0 and d["p"] == 5 and d["n_cases"] == 25
    assert "accuracy 1.000000" in str(R)
    assert isinstance(R, pc.VerifyReport)


def test_huge_input_spaces_are_refused_with_an_estimate():
    net = pc.PowerMLP(4, 1009, 1)
    with pytest.raises(TableTooLargeError, match="1,036,488,922,561 inputs"):
        pc.verify(net, "x + y + z + w mod 1009")


def test_verify_without_polynomial_or_metadata_is_refused():
    net = pc.PowerMLP(2, 5, 3)
    with pytest.raises(PolyclassError, match="table="):
        pc.verify(net)


def test_verify_checks_a_trained_style_power_mlp_against_a_decomposition():
    p = 5
    net = pc.PowerMLP(2, p, 4)  # all-zero weights: every logit ties, nothing is right
    R = pc.verify(net, pc.decompose(f"x + y mod {p}"))
    assert R.accuracy == 0.0 and R.min_margin == 0.0

"""Tests of the trainer: grokking with the paper's recipe, resume, batching, collapse.

Value tables come from plain Python integer arithmetic (tests/reference.py), never from
polyclass. Sizes are small (p = 23 or 47, N <= 200) so the module runs in seconds on CPU.
"""

from __future__ import annotations

import dataclasses
import json
import math
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import polyclass as pc
from polyclass.errors import TrainConfigError, TrainingCollapseError
from polyclass.nn import MLPShape
from polyclass.training import (
    BatchedOptimizer,
    BatchedPowerMLP,
    Callback,
    RunOptions,
    TrainConfig,
    Trainer,
    TrainingCollapseWarning,
    as_task,
    load_checkpoint,
    resume,
    seed_streams,
    split_task,
)
from polyclass.training.callbacks import Settle

from reference import table_of

P = 47
ROOT = Path(__file__).resolve().parents[1]
QUIET = {"progress": False}


def mul(a: int, b: int) -> int:
    return a * b


def h_of_sum(a: int, b: int) -> int:
    return (4 * a + b * b) ** 3


def perturbed(a: int, b: int) -> int:
    return (4 * a + b * b) ** 3 + a * b


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One intra-op thread: the test machine's 2 cores are shared, and oversubscribed
    OpenMP threads make these tiny steps up to 50x slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def tables() -> dict[str, np.ndarray]:
    return {f.__name__: table_of(f, P, 2) for f in (mul, h_of_sum, perturbed)}


# ---- the paper's recipe -------------------------------------------------------------------
TEXT = {"mul": f"n1*n2 mod {P}", "h_of_sum": f"(4*n1 + n2^2)^3 mod {P}"}


@pytest.mark.parametrize("name", ["mul", "h_of_sum"])
def test_learnable_polynomial_groks_with_default_recipe(tables, name):
    T = pc.train(tables[name], p=P, width=200, steps=400, seed=0, **QUIET)
    assert T.grokked_at is not None and T.grokked_at <= 400
    assert T.test_accuracy >= 0.99 and T.train_accuracy == 1.0
    assert T.memorised_at is not None and T.memorised_at <= T.grokked_at
    assert T.stopped == "grokked" and T.steps_run == T.grokked_at  # early stop
    assert not T.collapsed
    assert T.config.optimizer == "adamw" and T.config.weight_decay == 5.0
    # the generalising network is far more periodic, in the polynomial's basis, than at init
    init = pc.train(TEXT[name], width=200, steps=0, seed=0, **QUIET).model
    assert pc.ipr(T.model, TEXT[name]).mean() > 2 * pc.ipr(init, TEXT[name]).mean()


def test_perturbed_polynomial_memorises_but_stays_near_chance(tables):
    T = pc.train(tables["perturbed"], p=P, width=200, steps=300, seed=0, **QUIET)
    assert T.train_accuracy == 1.0
    assert T.grokked_at is None and T.stopped == "steps" and T.steps_run == 300
    assert T.test_accuracy < T.chance + 0.05


def test_chance_is_the_majority_share_of_the_test_set(tables):
    T = pc.train(tables["mul"], p=P, width=8, steps=1, seed=3, **QUIET)
    split = split_task(as_task(tables["mul"], p=P), 0.5, seed_streams(3)["split"])
    labels = split.y_test.tolist()
    expected = max(labels.count(v) for v in set(labels)) / len(labels)
    assert T.chance == pytest.approx(expected)
    assert T.chance > 1 / P  # n1*n2 takes the value 0 on a whole row and column


def test_split_is_seeded_and_partitions_the_table(tables):
    task = as_task(tables["mul"], p=P)
    a = split_task(task, 0.3, seed_streams(1)["split"])
    b = split_task(task, 0.3, seed_streams(1)["split"])
    c = split_task(task, 0.3, seed_streams(2)["split"])
    assert torch.equal(a.x_train, b.x_train) and not torch.equal(a.x_train, c.x_train)
    assert len(a.x_train) == round(0.3 * P * P) and len(a.x_train) + len(a.x_test) == P * P
    rows = {tuple(r) for r in a.x_train.tolist()} | {tuple(r) for r in a.x_test.tolist()}
    assert len(rows) == P * P
    for (x1, x2), y in zip(a.x_test.tolist(), a.y_test.tolist(), strict=True):
        assert y == x1 * x2 % P


def test_string_modpoly_and_table_give_the_same_run(tables):
    opts = {"width": 32, "steps": 20, "seed": 5, **QUIET}
    from_table = pc.train(tables["mul"], p=P, **opts)
    from_text = pc.train(f"n1*n2 mod {P}", **opts)
    from_poly = pc.train(pc.parse(f"n1*n2 mod {P}"), **opts)
    assert torch.equal(from_table.model.embed, from_text.model.embed)
    assert torch.equal(from_text.model.readout, from_poly.model.readout)
    # the polynomial fixes the IPR basis (discrete log), the bare table cannot
    assert from_text.history[-1]["mean_ipr"] != from_table.history[-1]["mean_ipr"]


# ---- collapse ------------------------------------------------------------------------------
def test_coupled_l2_adam_collapse_is_detected_and_reported(tables):
    with pytest.warns(TrainingCollapseWarning, match="adamw"):
        T = pc.train(tables["mul"], p=P, width=64, steps=400, optimizer="adam", **QUIET)
    assert T.collapsed and T.stopped == "collapsed" and T.steps_run < 400
    assert T.train_loss == pytest.approx(1 / P, rel=1e-3)
    assert T.history[-1]["weight_norm"] < 0.5 * T.history[0]["weight_norm"]
    with pytest.raises(TrainingCollapseError, match="all-zero output"):
        pc.train(tables["mul"], p=P, width=64, steps=400, optimizer="adam", on_collapse="raise")


def test_healthy_run_at_chance_is_not_called_a_collapse(tables):
    T = pc.train(tables["perturbed"], p=P, width=64, steps=200, **QUIET)
    assert not T.collapsed and T.collapsed_at is None


# ---- checkpoints and resume ----------------------------------------------------------------
@pytest.mark.parametrize("batch_size", [None, 300])
def test_resume_equals_an_uninterrupted_run(tables, tmp_path, batch_size):
    opts = {"width": 32, "steps": 60, "seed": 2, "batch_size": batch_size, "early_stop": False}
    full = pc.train(tables["mul"], p=P, **opts, **QUIET)
    ckpt = tmp_path / "ckpt"
    pc.train(tables["mul"], p=P, **opts, checkpoint_every=25, checkpoint_dir=str(ckpt), **QUIET)
    assert sorted(f.name for f in ckpt.iterdir()) == [
        "latest.pt",
        "step_00000025.pt",
        "step_00000050.pt",
    ]
    trainer = load_checkpoint(ckpt / "step_00000025.pt")
    assert trainer.step == 25 and trainer.config == TrainConfig(**opts)
    assert trainer.options == RunOptions(
        progress=False, checkpoint_every=25, checkpoint_dir=str(ckpt)
    )
    resumed = resume(ckpt / "step_00000025.pt")[0]
    assert torch.equal(resumed.model.embed, full.model.embed)
    assert torch.equal(resumed.model.readout, full.model.readout)
    assert resumed.history == full.history


def test_checkpoints_of_the_first_format_still_resume(tables, tmp_path):
    # version 1 kept run options in the config and the collapse state at the top level
    opts = {"width": 32, "steps": 40, "seed": 4, "early_stop": False, **QUIET}
    full = pc.train(tables["mul"], p=P, **opts)
    pc.train(tables["mul"], p=P, **opts, checkpoint_every=20, checkpoint_dir=str(tmp_path))
    state = torch.load(tmp_path / "step_00000020.pt", weights_only=True)
    collapse = state.pop("callbacks")["CollapseDetector"]
    old = dict(state, version=1, config={**state.pop("config"), **state.pop("options")})
    old.update(init_norm=collapse["init_norm"], near_zero_since=collapse["near_zero_since"])
    torch.save(old, tmp_path / "v1.pt")
    resumed = resume(tmp_path / "v1.pt")[0]
    assert torch.equal(resumed.model.embed, full.model.embed) and resumed.history == full.history
    torch.save(dict(old, version=7), tmp_path / "v7.pt")
    with pytest.raises(TrainConfigError, match="not a polyclass checkpoint"):
        resume(tmp_path / "v7.pt")


def test_trainer_trains_a_model_it_is_given(tables):
    cfg = TrainConfig(width=16, steps=30, seed=3)
    made = Trainer([as_task(tables["mul"], p=P)], cfg, options=RunOptions(progress=False))
    given = BatchedPowerMLP(1, MLPShape.checked(2, P, 16), device=made.device)
    given.load_state_dict(made.model.state_dict())
    ref = made.run()[0]
    out = Trainer([as_task(tables["mul"], p=P)], cfg, model=given).run()[0]
    assert torch.equal(out.model.embed, ref.model.embed) and out.history == ref.history
    with pytest.raises(TrainConfigError, match="the tasks need"):
        Trainer([as_task(tables["mul"], p=P)] * 2, cfg, model=given)


def test_training_does_not_import_the_symbolic_stack():
    code = (
        "import sys, polyclass.training\n"
        "assert 'sympy' not in sys.modules, 'sympy'\n"
        "assert 'polyclass.decomposition' not in sys.modules, 'decomposition'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_hyperparameters_and_run_options_are_routed(tables, tmp_path):
    T = pc.train(tables["mul"], p=P, width=8, steps=2, device="cpu", eval_chunk=100, **QUIET)
    assert T.config == TrainConfig(width=8, steps=2) and T.model.embed.device.type == "cpu"
    with pytest.raises(TrainConfigError, match="run options"):
        TrainConfig.from_dict({"width": 8, "device": "cpu"})
    with pytest.raises(TrainConfigError, match="checkpoint_dir"):
        pc.train(tables["mul"], p=P, steps=2, checkpoint_every=1, **QUIET)


def test_resume_can_extend_a_finished_run(tables, tmp_path):
    opts = {"width": 32, "seed": 1, "early_stop": False, **QUIET}
    long = pc.train(tables["mul"], p=P, steps=40, **opts)
    pc.train(
        tables["mul"], p=P, steps=20, checkpoint_every=20, checkpoint_dir=str(tmp_path), **opts
    )
    extended = resume(tmp_path / "latest.pt", steps=40)[0]
    assert torch.equal(extended.model.embed, long.model.embed)


# ---- batched runs --------------------------------------------------------------------------
def test_batched_runs_equal_separate_runs(tables):
    names = ["mul", "h_of_sum", "perturbed"]
    seeds = [0, 1, 2]
    opts = {"width": 64, "steps": 250, "dtype": "float64", **QUIET}
    many = pc.train_many([tables[n] for n in names], p=P, seeds=seeds, **opts)
    assert any(r.stopped == "grokked" for r in many) and many[2].stopped == "steps"
    for name, seed, got in zip(names, seeds, many, strict=True):
        ref = pc.train(tables[name], p=P, seed=seed, **opts)
        assert (got.grokked_at, got.memorised_at, got.steps_run) == (
            ref.grokked_at,
            ref.memorised_at,
            ref.steps_run,
        )
        torch.testing.assert_close(got.model.embed, ref.model.embed, rtol=1e-7, atol=1e-9)
        torch.testing.assert_close(got.model.readout, ref.model.readout, rtol=1e-7, atol=1e-9)
        assert [r["test_accuracy"] for r in got.history] == [
            r["test_accuracy"] for r in ref.history
        ]


class _Sizes(Callback):
    """Records the number of models in the batched program at each evaluation;
    ``compact=False`` keeps finished models computing (the trainer before 2026-12-02)."""

    def __init__(self, compact: bool = True) -> None:
        self.compact, self.sizes = compact, []

    def on_train_start(self, trainer):
        trainer.compact_finished = self.compact

    def on_eval(self, trainer, records):
        assert len(records) == trainer.K
        self.sizes.append(trainer.model.n_models)


def test_finished_models_leave_the_batch_without_changing_any_result(tables):
    names = ["mul", "h_of_sum", "perturbed"]
    opts = {"p": P, "seeds": [0, 1, 2], "width": 64, "steps": 250, **QUIET}
    leave, stay = _Sizes(), _Sizes(compact=False)
    left = pc.train_many([tables[n] for n in names], callbacks=[leave], **opts)
    stayed = pc.train_many([tables[n] for n in names], callbacks=[stay], **opts)
    # two models grok and stop at different steps: the batch shrinks 3 -> 2 -> 1
    assert sorted(r.steps_run for r in left)[:2] != [250, 250]
    assert leave.sizes[0] == 3 and sorted(set(leave.sizes)) == [1, 2, 3]
    assert set(stay.sizes) == {3}
    for a, b in zip(left, stayed, strict=True):
        assert (a.stopped, a.steps_run, a.grokked_at) == (b.stopped, b.steps_run, b.grokked_at)
        assert torch.equal(a.model.embed, b.model.embed)
        assert torch.equal(a.model.readout, b.model.readout)
        assert a.history == b.history  # IPR, losses, norms of the models left running too


def test_resume_after_models_left_the_batch(tables, tmp_path):
    names = ["mul", "h_of_sum", "perturbed"]
    opts = {"p": P, "seeds": [0, 1, 2], "width": 64, "steps": 250, **QUIET}
    full = pc.train_many([tables[n] for n in names], **opts)
    assert sum(r.steps_run < 200 for r in full) == 2
    pc.train_many(
        [tables[n] for n in names], checkpoint_every=200, checkpoint_dir=str(tmp_path), **opts
    )
    state = torch.load(tmp_path / "step_00000200.pt", weights_only=True)
    assert len(state["finished"]) == 2 and state["embed"].shape[0] == 3
    resumed = resume(tmp_path / "step_00000200.pt")
    for a, b in zip(resumed, full, strict=True):
        assert (a.stopped, a.steps_run) == (b.stopped, b.steps_run)
        assert torch.equal(a.model.embed, b.model.embed) and a.history == b.history
    trainer = load_checkpoint(tmp_path / "step_00000200.pt")
    trainer.run()
    with pytest.raises(TrainConfigError, match="has not run"):
        trainer.load_state_dict(state)


def test_train_many_over_seeds_of_one_polynomial(tables):
    many = pc.train_many(tables["mul"], p=P, seeds=[0, 1], width=16, steps=5, **QUIET)
    assert [r.config.seed for r in many] == [0, 1]
    assert not torch.equal(many[0].model.embed, many[1].model.embed)


def test_train_many_rejects_mixed_moduli():
    with pytest.raises(TrainConfigError, match="same p"):
        pc.train_many(["n1*n2 mod 23", "n1*n2 mod 29"], steps=1, **QUIET)


# ---- the engine against autograd and torch.optim -------------------------------------------
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("n_inputs", [1, 2, 3])
def test_hand_written_backward_matches_autograd(loss, n_inputs):
    p, N, K, B = 7, 16, 2, 40
    gen = torch.Generator().manual_seed(0)
    net = BatchedPowerMLP(K, MLPShape.checked(n_inputs, p, N), dtype=torch.float64)
    net.init_([torch.Generator().manual_seed(k) for k in range(K)], 0.4)
    x = torch.randint(0, p, (K, B, n_inputs), generator=gen)
    y = torch.randint(0, p, (K, B), generator=gen)
    value, _ = net.loss_and_grad(net.flat_index(x), y, loss)
    for k in range(K):
        ref = net.model(k)
        out = ref(x[k])
        if loss == "mse":
            lv = torch.nn.functional.mse_loss(out, torch.nn.functional.one_hot(y[k], p).double())
        else:
            lv = torch.nn.functional.cross_entropy(out, y[k])
        lv.backward()
        assert value[k].item() == pytest.approx(lv.item(), rel=1e-12)
        torch.testing.assert_close(net.embed.grad[k], ref.embed.grad, rtol=1e-10, atol=1e-14)
        torch.testing.assert_close(net.readout.grad[k], ref.readout.grad, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=5.0)),
        ("adam", lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=5.0)),
        ("sgd", lambda ps: torch.optim.SGD(ps, lr=0.01, weight_decay=0.1, momentum=0.9)),
    ],
)
def test_batched_optimizer_matches_torch_optim(kind, make):
    gen = torch.Generator().manual_seed(1)
    w = torch.nn.Parameter(torch.randn(3, 5, generator=gen, dtype=torch.float64))
    ref = torch.nn.Parameter(w.detach().clone())
    ours = BatchedOptimizer(
        [w], kind=kind, lr=0.01, weight_decay=5.0 if kind != "sgd" else 0.1, momentum=0.9
    )
    theirs = make([ref])
    for _ in range(5):
        g = torch.randn(3, 5, generator=gen, dtype=torch.float64)
        w.grad, ref.grad = g.clone(), g.clone()
        ours.step()
        theirs.step()
        torch.testing.assert_close(w.detach(), ref.detach(), rtol=1e-12, atol=1e-15)


def test_initialisation_follows_the_authors_recipe():
    T = pc.train(f"n1*n2 mod {P}", width=2000, steps=0, **QUIET)
    std = 0.5 / (2 * 2000) ** (1 / 3)
    for w in (T.model.embed, T.model.readout):
        assert w.std().item() == pytest.approx(std, rel=0.02)
        assert abs(w.mean().item()) < 0.02 * std * 10
    assert T.model.power == 2 and isinstance(T.model, pc.PowerMLP)


# ---- options, callbacks, results ------------------------------------------------------------
@pytest.mark.parametrize(
    "opts",
    [
        {"loss": "cross_entropy", "lr": 0.01, "weight_decay": 1.0},
        {"optimizer": "sgd", "lr": 0.5, "weight_decay": 0.0, "momentum": 0.9},
        {"batch_size": 128},
        {"dtype": "float64", "power": 3},
    ],
)
def test_options_train_and_learn_something(tables, opts):
    T = pc.train(tables["mul"], p=P, width=64, steps=100, **opts, **QUIET)
    assert math.isfinite(T.train_loss) and T.train_loss < 0.99 * T.history[0]["train_loss"]
    if opts.get("optimizer") != "sgd":  # plain SGD is slow from the tiny initial gradients
        assert T.train_accuracy > 2 * T.chance
    assert T.model.embed.dtype == (torch.float64 if opts.get("dtype") else torch.float32)


def test_bad_options_raise_train_config_errors():
    for bad in (
        {"width": 0},
        {"optimizer": "lion"},
        {"train_fraction": 1.0},
        {"loss": "hinge"},
        {"batch_size": 0},
        {"dtype": "float16"},
    ):
        with pytest.raises(TrainConfigError):
            TrainConfig(**bad)
    with pytest.raises(TrainConfigError, match="unknown training option"):
        pc.train("n1*n2 mod 7", widht=10)
    with pytest.raises(pc.TableError, match="side 7"):
        pc.train(np.zeros((5, 5), dtype=np.int64), p=7)
    with pytest.raises(pc.TableError, match="shape"):
        pc.train(np.zeros((7, 5), dtype=np.int64), p=7)
    with pytest.raises(pc.PolyclassError):
        pc.train(np.zeros((6, 6), dtype=np.int64), p=6)


def test_dtype_is_accepted_as_a_name_or_a_torch_dtype():
    assert TrainConfig(dtype=torch.float64) == TrainConfig(dtype="float64")
    assert TrainConfig(dtype=torch.float64).to_dict()["dtype"] == "float64"
    with pytest.raises(TrainConfigError, match="float32"):
        TrainConfig(dtype=torch.float16)
    net = pc.compile("x*y mod 7", device="cpu", dtype="float64")
    assert next(net.parameters()).dtype == torch.float64


def test_callbacks_see_every_evaluation_and_can_stop(tables):
    class Recorder(Callback):
        def __init__(self) -> None:
            self.steps: list[int] = []
            self.ended = False

        def on_eval(self, trainer, records):
            self.steps.append(records[0]["step"])
            if trainer.step >= 30:
                trainer.finish_model(0, "user")

        def on_train_end(self, trainer):
            self.ended = True

    rec = Recorder()
    T = pc.train(tables["mul"], p=P, width=16, steps=100, eval_every=10, callbacks=[rec], **QUIET)
    assert rec.steps == [0, 10, 20, 30] and rec.ended
    assert T.stopped == "user" and T.steps_run == 30


def test_result_history_and_json(tables):
    T = pc.train(tables["mul"], p=P, width=16, steps=25, eval_every=10, **QUIET)
    assert [r["step"] for r in T.history] == [0, 10, 20, 25]
    keys = {"step", "train_loss", "train_accuracy", "test_loss", "test_accuracy"}
    assert keys | {"mean_ipr", "weight_norm"} == set(T.history[-1])
    d = json.loads(json.dumps(T.to_dict()))
    assert d["config"]["width"] == 16 and d["steps_run"] == 25 and len(d["history"]) == 4
    # the final metrics are those of the returned model
    x = torch.cartesian_prod(torch.arange(P), torch.arange(P))
    acc = (T.model(x).argmax(-1) == x[:, 0] * x[:, 1] % P).double().mean().item()
    n_train = round(0.5 * P * P)
    overall = (T.train_accuracy * n_train + T.test_accuracy * (P * P - n_train)) / (P * P)
    assert acc == pytest.approx(overall, abs=1e-9)


def test_result_names_the_peak_a_run_fell_from():
    # weight decay 10 at p = 23: the network fits part of the table, then its weights decay
    # to zero (a real run, 0.3 s); the peak is the best evaluation of the history
    text = "(3*x^3 + y^3 + 2*y^2)^4 + (3*x^3 + y^3 + 2*y^2)^2 mod 23"
    T = pc.train(text, width=64, steps=1500, weight_decay=10.0, on_collapse="ignore", **QUIET)
    best = max(r["test_accuracy"] for r in T.history)
    first = next(r["step"] for r in T.history if r["test_accuracy"] == best)
    assert (T.peak_test_accuracy, T.peak_at) == (best, first)
    assert best - T.test_accuracy >= 0.3  # it fell: the final evaluation is not the best
    assert T.fell_from_peak and f"test accuracy peaked at {best:.2%} at step {first}" in str(T)
    d = json.loads(json.dumps(T.to_dict()))
    assert (d["peak_test_accuracy"], d["peak_at"]) == (best, first)
    # a history that ends level with its best names no peak; of equals the first is the peak
    level = dataclasses.replace(T, history=[T.history[0], dict(T.history[0], step=10)])
    assert level.peak_at == 0 and not level.fell_from_peak and "peaked" not in str(level)


def test_run_with_cache_of_a_trained_network_is_its_forward_pass(tables):
    T = pc.train(tables["mul"], p=P, width=32, steps=60, seed=1, **QUIET)
    net = T.model
    x = torch.cartesian_prod(torch.arange(P), torch.arange(P))
    logits, cache = net.run_with_cache(x)
    assert torch.equal(logits, net(x)) and torch.equal(cache["logits"], logits)
    # independent reference: gather the embedding rows by hand, power, read out
    with torch.no_grad():
        hidden = net.embed[0][x[:, 0]] + net.embed[1][x[:, 1]]
        torch.testing.assert_close(cache["hidden"], hidden, rtol=0, atol=0)
        torch.testing.assert_close(cache["activation"], hidden**2, rtol=1e-6, atol=0)
        torch.testing.assert_close(logits, hidden**2 @ net.readout.T, rtol=1e-5, atol=1e-7)
    # the hook points take standard forward hooks, and removing them restores the network
    handle = net.hook_activation.register_forward_hook(lambda m, a, out: torch.zeros_like(out))
    assert not net(x).any()
    handle.remove()
    assert torch.equal(net(x), logits)


def test_polyclass_train_module_exposes_the_training_api_and_still_trains():
    # ``import polyclass.train as t`` binds the module (``t.TrainConfig``); pc.train still trains
    code = (
        "import polyclass.train as t\n"
        "import polyclass as pc\n"
        "assert t.TrainConfig is pc.TrainConfig\n"
        "T = pc.train('n1 + n2 mod 5', width=4, steps=1, progress=False)\n"
        "assert isinstance(T, pc.TrainResult)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_run_matches_cpu_run(tables):
    opts = {"width": 32, "steps": 20, "dtype": "float64", **QUIET}
    cpu = pc.train(tables["mul"], p=P, device="cpu", **opts)
    gpu = pc.train(tables["mul"], p=P, device="cuda", **opts)
    torch.testing.assert_close(gpu.model.embed.cpu(), cpu.model.embed, rtol=1e-6, atol=1e-9)


# ---- pc.check --------------------------------------------------------------------------------
def test_check_agrees_with_the_classifier_on_both_sides():
    pytest.importorskip("polyclass.learnability")
    good = pc.check(f"(4*n1 + n2^2)^3 mod {P}", width=200, steps=400, progress=False)
    assert good.predicted is True and good.observed and good.agrees
    bad = pc.check(f"(4*n1 + n2^2)^3 + n1*n2 mod {P}", width=200, steps=300, progress=False)
    assert bad.predicted is False and not bad.observed and bad.agrees
    assert bad.margin < 0.05 and json.dumps(bad.to_dict())


# ---- the training benchmark runs in its small setting (examples: tests/test_examples.py) --
def test_train_step_benchmark_runs_in_smoke_mode(monkeypatch, capsys):
    script = ROOT / "benchmarks" / "train_step.py"
    monkeypatch.setenv("POLYCLASS_SMOKE", "1")
    monkeypatch.setattr(sys, "argv", [str(script)])
    runpy.run_path(str(script), run_name="__main__")
    assert "x faster" in capsys.readouterr().out


def test_settle_rule_stops_a_run_whose_test_accuracy_has_stopped_moving():
    from polyclass.training import TrainConfig, train

    cfg = TrainConfig(width=64, steps=3000, early_stop=False, settle=5, track_ipr=False)
    R = train(pc.parse("x + y mod 7"), config=cfg, progress=False)
    assert R.stopped == "settled"
    assert R.steps_run < 3000
    tail = [h["test_accuracy"] for h in R.history[-5:]]
    assert R.train_accuracy == 1.0 and max(tail) - min(tail) <= 0.01


class _Events:
    """The part of a Trainer that Settle reads and calls."""

    def __init__(self) -> None:
        self.events = [{"memorised_at": 0}]
        self.finished: dict[int, int] = {}

    def finish_model(self, k: int, reason: str) -> None:
        self.finished.setdefault(k, len(self.fed))

    def feed(self, rule: Settle, accuracies: list[float]) -> int | None:
        """Evaluations fed before the rule stopped the model (None: never)."""
        self.fed: list[float] = []
        for a in accuracies:
            self.fed.append(a)
            rule.on_eval(self, [{"test_accuracy": a}])  # type: ignore[arg-type]
        return self.finished.get(0)


def _fitted_rise(values: list[float]) -> float:
    """Rise of the least-squares line across the values (numpy's fit: the reference)."""
    slope = np.polyfit(np.arange(len(values)), values, 1)[0]
    return float(slope * (len(values) - 1))


def test_settle_trend_follows_a_slow_rise_that_a_short_band_stops():
    # test accuracy rising 0.8 points per 20 evaluations (200 steps), as x^2 + xy mod 59
    # did at alpha 0.7 in the calibration study, with a cell or two of noise
    rng = np.random.default_rng(0)
    slow = [0.03 + 0.0004 * i + float(rng.integers(-1, 2)) / 3000 for i in range(400)]
    assert _Events().feed(Settle(20), slow) == 20  # the study's rule: stopped at once
    assert _Events().feed(Settle(100, rule="trend"), slow) is None
    assert abs(_fitted_rise(slow[:100])) > 0.01


def test_settle_trend_stops_a_noisy_plateau_that_a_long_band_never_settles():
    # flat at 0.40, wandering by up to 6 cells of a 400-cell test set (1.5 points)
    rng = np.random.default_rng(1)
    flat = [0.40 + float(rng.integers(-6, 7)) / 400 for _ in range(400)]
    assert _Events().feed(Settle(100), flat) is None
    stopped = _Events().feed(Settle(100, rule="trend"), flat)
    assert stopped is not None
    assert abs(_fitted_rise(flat[stopped - 100 : stopped])) <= 0.01
    # and not before its window is full, nor on a window that rises
    assert stopped >= 100
    assert all(abs(_fitted_rise(flat[e - 100 : e])) > 0.01 for e in range(100, stopped))


def test_settle_trend_in_a_run_and_a_bad_rule_refused():
    from polyclass.training import TrainConfig, train

    cfg = TrainConfig(
        width=64, steps=3000, early_stop=False, settle=5, settle_rule="trend", track_ipr=False
    )
    R = train(pc.parse("x + y mod 7"), config=cfg, progress=False)
    assert R.stopped == "settled" and R.steps_run < 3000 and R.train_accuracy == 1.0
    tail = [h["test_accuracy"] for h in R.history[-5:]]
    assert abs(_fitted_rise(tail)) <= 0.01
    with pytest.raises(pc.PolyclassError, match="settle_rule"):
        TrainConfig(settle=5, settle_rule="slope")
    with pytest.raises(pc.PolyclassError, match="trend"):
        Settle(5, rule="slope")

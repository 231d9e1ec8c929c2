"""Watching a run: progress lines, metrics.jsonl, TensorBoard scalars, the IPR plateau stop."""

from __future__ import annotations

import importlib.util
import io

import pytest

import polyclass as pc
from polyclass.training import monitoring
from polyclass.training.monitoring import (
    IPRPlateau,
    ProgressLog,
    RateLog,
    TensorBoard,
    read_metrics,
)

QUIET = {"progress": False}


pytestmark = pytest.mark.usefixtures("one_thread")


def test_rate_log_is_throttled_and_reports_rate_and_eta():
    now = [0.0]
    out = io.StringIO()
    log = RateLog(100, unit="job", interval=10, stream=out, clock=lambda: now[0])
    log.update(0)
    for done in range(1, 51):
        now[0] = done * 0.5  # 2 jobs per second
        log.update(done)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3  # t = 0, 10, 20 s
    assert lines[-1] == "job 40/100 | 2 jobs/s | elapsed 20s | ETA 30s"
    log.update(100, "all", force=True)
    assert out.getvalue().splitlines()[-1].startswith("job 100/100 | all | ")
    assert "ETA" not in out.getvalue().splitlines()[-1]


def test_progress_log_writes_lines_on_a_non_terminal_stream_during_the_run():
    out = io.StringIO()
    pc.train(
        "n1*n2 mod 23",
        width=32,
        steps=30,
        eval_every=5,
        callbacks=[ProgressLog(0.0, out)],
        early_stop=False,
        **QUIET,
    )
    lines = out.getvalue().splitlines()
    assert len(lines) > 30 and lines[0].startswith("step 0/30 | train acc")
    assert any("ETA" in line and "steps/s" in line for line in lines)
    assert lines[-1].startswith("step 30/30") and "(done)" in lines[-1] and "IPR" in lines[-1]


def test_default_progress_is_lines_off_a_terminal_and_a_bar_on_one(monkeypatch):
    assert isinstance(monitoring.progress_callback(None), ProgressLog)  # pytest captures stderr
    assert monitoring.progress_callback(False) is None
    monkeypatch.setattr(monitoring, "stream_is_terminal", lambda stream=None: True)
    assert isinstance(monitoring.progress_callback(None), pc.training.ProgressBar)


def test_metrics_file_lines_match_the_returned_history(tmp_path):
    T = pc.train(
        "n1*n2 mod 23", width=32, steps=40, eval_every=10, metrics_dir=str(tmp_path), **QUIET
    )
    assert read_metrics(tmp_path) == T.history
    assert set(T.history[0]) >= {
        "step",
        "train_loss",
        "test_loss",
        "train_accuracy",
        "test_accuracy",
        "mean_ipr",
        "weight_norm",
    }


def test_metrics_file_is_written_as_the_run_goes_and_labels_models(tmp_path):
    seen = []

    class Peek(pc.training.Callback):
        def on_eval(self, trainer, records):
            seen.append(len(read_metrics(tmp_path)))

    many = pc.train_many(
        "n1*n2 mod 23",
        seeds=[0, 1],
        width=16,
        steps=20,
        eval_every=10,
        callbacks=[Peek()],
        early_stop=False,
        metrics_dir=str(tmp_path),
        **QUIET,
    )
    assert seen == [2, 4, 6]  # on disk before the next evaluation (MetricsFile runs first)
    rows = read_metrics(tmp_path)
    for k, T in enumerate(many):
        assert [
            {key: v for key, v in r.items() if key != "model"} for r in rows if r["model"] == k
        ] == T.history


def test_metrics_file_appends_when_a_run_resumes(tmp_path):
    ck = tmp_path / "ck"
    pc.train(
        "n1*n2 mod 23",
        width=16,
        steps=20,
        eval_every=10,
        checkpoint_every=10,
        checkpoint_dir=str(ck),
        early_stop=False,
        metrics_dir=str(tmp_path),
        **QUIET,
    )
    (T,) = pc.training.resume(
        ck / "step_00000010.pt", steps=30, metrics_dir=str(tmp_path / "r"), **QUIET
    )
    assert [r["step"] for r in read_metrics(tmp_path / "r")] == [10, 20, 30]


class FakeWriter:
    def __init__(self, logdir):
        self.logdir, self.scalars, self.closed = logdir, [], False

    def add_scalar(self, tag, value, step):
        self.scalars.append((tag, value, step))

    def close(self):
        self.closed = True


def test_tensorboard_gets_the_same_scalars_as_the_history(tmp_path):
    writers = []

    def factory(logdir):
        writers.append(FakeWriter(logdir))
        return writers[-1]

    T = pc.train(
        "n1*n2 mod 23",
        width=16,
        steps=20,
        eval_every=10,
        callbacks=[TensorBoard(tmp_path, factory)],
        **QUIET,
    )
    (w,) = writers
    assert w.closed and w.logdir == str(tmp_path)
    expected = [(name, r[name], r["step"]) for r in T.history for name in monitoring.SCALARS]
    assert w.scalars == expected


@pytest.mark.skipif(importlib.util.find_spec("tensorboard") is not None, reason="installed")
def test_tensorboard_without_the_package_is_a_clear_error_before_training(tmp_path):
    with pytest.raises(pc.PolyclassError, match=r"pip install 'polyclass\[tensorboard\]'"):
        pc.train("n1*n2 mod 23", width=16, steps=5, tensorboard_dir=str(tmp_path), **QUIET)


def test_ipr_plateau_stops_after_grokking_once_the_ipr_stops_rising():
    T = pc.train(
        "n1*n2 mod 23",
        width=64,
        steps=3000,
        eval_every=5,
        early_stop=False,
        callbacks=[IPRPlateau(window=100, tol=0.01)],
        **QUIET,
    )
    assert T.grokked_at is not None and T.stopped == "ipr_plateau"
    assert T.grokked_at + 100 <= T.steps_run < 3000
    by_step = {r["step"]: r["mean_ipr"] for r in T.history}
    assert by_step[T.steps_run] - by_step[T.steps_run - 100] < 0.01


def test_ipr_plateau_never_stops_a_run_that_has_not_grokked():
    T = pc.train(
        "n1*n2 mod 23",
        width=16,
        steps=60,
        eval_every=5,
        early_stop=False,
        callbacks=[IPRPlateau(window=10, tol=1.0)],
        **QUIET,
    )
    assert T.grokked_at is None and T.stopped == "steps" and T.steps_run == 60


def test_a_risky_loss_weight_decay_pair_warns():
    with pytest.warns(pc.training.RecipeWarning, match="cross_entropy"):
        pc.train("n1*n2 mod 23", width=8, steps=1, loss="cross_entropy", **QUIET)
    with pytest.warns(pc.training.RecipeWarning, match="adamw"):
        pc.train("n1*n2 mod 23", width=8, steps=1, optimizer="adam", **QUIET)


def test_run_options_are_checked():
    with pytest.raises(pc.TrainConfigError, match="progress_interval"):
        pc.train("n1*n2 mod 23", width=8, steps=1, progress_interval=0)

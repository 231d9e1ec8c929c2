"""train/check flags: each one changes what the run does, and its default is in --help.

Run in-process through ``polyclass.cli.main`` (tiny p and width keep each run short);
``test_cli.py`` covers the installed entry point in a subprocess.
"""

from __future__ import annotations

import importlib.util
import json

import pytest

import polyclass as pc
from polyclass.cli import build_parser, main
from polyclass.cli.training_options import DEFAULTS
from polyclass.training import RunOptions, TrainConfig
from polyclass.training.monitoring import read_metrics

POLY = "n1*n2 mod 23"  # groks at step 205 with these settings
TINY = ["--width", "64", "--eval-every", "5"]


pytestmark = pytest.mark.usefixtures("one_thread")


def run(capsys, *argv: str) -> tuple[int, dict, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    data = json.loads(out) if code == 0 and "--json" in argv else {}
    return code, data, err


def test_cli_defaults_are_the_library_defaults():
    cfg, opts = TrainConfig(), RunOptions()
    for name, value in DEFAULTS.items():
        expected = getattr(cfg, name) if hasattr(cfg, name) else getattr(opts, name)
        assert value == expected, name


@pytest.mark.parametrize("command", ["train", "check"])
def test_help_shows_every_default(command):
    text = build_parser()._subparsers._group_actions[0].choices[command].format_help()
    for shown in (
        "(default: 500)",  # width
        "(default: 0.005)",  # lr
        "(default: 5.0)",  # weight decay
        "(default: adamw)",
        "(default: mse)",
        "(default: full batch)",
        "(default: True)",  # early stop
        "(default: auto)",  # device
        "(default: 10.0)",  # progress interval
    ):
        assert shown in " ".join(text.split()), (command, shown)
    steps = "(default: 2000)" if command == "train" else "(default: 3000 below p = 50, else 1500)"
    assert steps in " ".join(text.split())


def test_no_early_stop_runs_every_step_and_early_stop_does_not(capsys):
    code, free, _ = run(
        capsys, "train", POLY, *TINY, "--steps", "250", "--no-early-stop", "-q", "--json"
    )
    assert code == 0 and free["steps_run"] == 250 and free["stopped"] == "steps"
    assert free["grokked_at"] is not None and free["config"]["early_stop"] is False
    code, stopped, _ = run(capsys, "train", POLY, *TINY, "--steps", "250", "-q", "--json")
    assert stopped["steps_run"] == stopped["grokked_at"] < 250
    code, patient, _ = run(
        capsys, "train", POLY, *TINY, "--steps", "250", "--patience", "20", "-q", "--json"
    )
    assert patient["steps_run"] == patient["grokked_at"] + 20


def test_hyperparameter_flags_reach_the_config(capsys):
    argv = ["train", POLY, "--width", "8", "--steps", "4", "-q", "--json", "--no-early-stop"]
    argv += ["--eval-every", "2", "--batch-size", "7", "--optimizer", "sgd", "--wd", "0"]
    argv += ["--loss", "cross_entropy", "--train-fraction", "0.3", "--seed", "3", "--lr", "0.01"]
    argv += ["--device", "cpu", "--dtype", "float64"]
    code, data, _ = run(capsys, *argv)
    cfg = data["config"]
    assert code == 0 and [r["step"] for r in data["history"]] == [0, 2, 4]
    assert cfg["width"] == 8 and cfg["batch_size"] == 7 and cfg["optimizer"] == "sgd"
    assert cfg["loss"] == "cross_entropy" and cfg["train_fraction"] == 0.3
    assert cfg["seed"] == 3 and cfg["lr"] == 0.01 and cfg["dtype"] == "float64"
    assert (
        abs(
            data["chance"]
            - pc.train(POLY, width=8, steps=0, train_fraction=0.3, seed=3, progress=False).chance
        )
        < 1e-12
    )


def test_output_folder_has_metrics_that_match_the_history_and_checkpoints(capsys, tmp_path):
    out = tmp_path / "run"
    code, data, _ = run(
        capsys,
        "train",
        POLY,
        *TINY,
        "--steps",
        "20",
        "--no-early-stop",
        "-q",
        "--json",
        "-o",
        str(out),
        "--checkpoint-every",
        "10",
    )
    assert code == 0
    assert read_metrics(out) == data["history"]
    assert sorted(p.name for p in (out / "checkpoints").glob("step_*.pt")) == [
        "step_00000010.pt",
        "step_00000020.pt",
    ]


def test_progress_lines_on_a_non_terminal_stderr_and_quiet(capsys):
    code, _, err = run(
        capsys,
        "train",
        POLY,
        *TINY,
        "--steps",
        "20",
        "--no-early-stop",
        "--progress-interval",
        "0.001",
    )
    lines = [line for line in err.splitlines() if line.startswith("step ")]
    assert code == 0 and len(lines) >= 3
    assert "step 20/20" in lines[-1] and "test acc" in lines[-1] and "IPR" in lines[-1]
    assert "steps/s" in lines[1] and "ETA" in lines[1]
    code, _, err = run(capsys, "train", POLY, *TINY, "--steps", "20", "-q")
    assert code == 0 and "step " not in err


def test_a_stalling_loss_weight_decay_pair_is_warned_about_in_one_line(capsys):
    code, _, err = run(
        capsys, "train", POLY, "--width", "8", "--steps", "2", "-q", "--loss", "cross_entropy"
    )
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert code == 0 and len(warnings) == 1
    assert warnings[0].startswith("polyclass train: warning: loss='cross_entropy'")
    code, _, err = run(
        capsys,
        "train",
        POLY,
        "--width",
        "8",
        "--steps",
        "2",
        "-q",
        "--wd",
        "0.1",
        "--loss",
        "cross_entropy",
    )
    assert "warning" not in err


def test_check_saves_its_run(capsys, tmp_path):
    pytest.importorskip("polyclass.learnability")
    out = tmp_path / "chk"
    code, data, _ = run(
        capsys, "check", POLY, *TINY, "--steps", "250", "-q", "--json", "-o", str(out)
    )
    assert code == 0 and data["predicted"] is True
    saved = json.loads((out / "result.json").read_text())
    assert json.loads((out / "check.json").read_text())["agrees"] == data["agrees"]
    assert read_metrics(out) == saved["history"] and saved["steps_run"] == data["steps_run"]
    assert pc.load_run(out).model is not None


def test_bad_run_option_combinations_are_one_line_errors(capsys):
    code, _, err = run(capsys, "train", POLY, "--checkpoint-every", "5")
    assert code == 2 and "needs -o DIR" in err and len(err.strip().splitlines()) == 1


def test_sweep_in_one_process_prints_job_and_step_lines(capsys, tmp_path):
    pytest.importorskip("polyclass.learnability")
    code = main(
        [
            "sweep",
            "--family",
            "vars=2, degree<=1, coeffs=0..1, p=5",
            "--db",
            str(tmp_path / "a.db"),
            "--workers",
            "1",
            "--width",
            "8",
            "--steps",
            "20",
            "--max-polynomials",
            "8",
        ]
    )
    err = capsys.readouterr().err
    jobs = [line for line in err.splitlines() if line.startswith("sweep: job")]
    assert code == 0 and jobs[0].startswith("sweep: job 0/") and "ETA" not in jobs[-1]
    total = jobs[0].split("/")[1].split()[0]
    assert jobs[-1].startswith(f"sweep: job {total}/{total}") and "jobs/s" in jobs[-1]
    assert any(line.startswith("step ") for line in err.splitlines())  # the batch's own lines
    code = main(
        [
            "sweep",
            "--family",
            "vars=2, degree<=1, coeffs=0..1, p=5",
            "--db",
            str(tmp_path / "b.db"),
            "--workers",
            "1",
            "--width",
            "8",
            "--steps",
            "5",
            "--max-polynomials",
            "8",
            "-q",
        ]
    )
    assert code == 0 and "sweep: job" not in capsys.readouterr().err


@pytest.mark.skipif(importlib.util.find_spec("tensorboard") is not None, reason="installed")
def test_tensorboard_flag_without_the_package_says_how_to_install_it(capsys, tmp_path):
    code, _, err = run(
        capsys, "train", POLY, "--width", "8", "--steps", "2", "--tensorboard", str(tmp_path)
    )
    assert code == 2 and "pip install 'polyclass[tensorboard]'" in err
    assert len(err.strip().splitlines()) == 1


def test_resume_refuses_a_changed_hyperparameter_and_applies_steps_and_run_options(
    capsys, tmp_path
):
    first, second = tmp_path / "first", tmp_path / "second"
    base = ["train", POLY, *TINY, "--no-early-stop", "-q", "--json"]
    code, _, _ = run(capsys, *base, "--steps", "20", "-o", str(first), "--checkpoint-every", "10")
    assert code == 0
    checkpoint = str(first / "checkpoints" / "step_00000020.pt")
    for flags, named in (
        (["--lr", "0.1"], "--lr 0.1 differs from the checkpoint's lr = 0.005"),
        (["--wd", "0"], "--wd 0.0 differs"),
        (["--early-stop"], "--early-stop differs from the checkpoint's early_stop = False"),
        (["--width", "65"], "--width 65 differs"),
        (["x + y mod 23"], "the checkpoint trains"),
        (["-p", "23"], "--resume needs neither"),
    ):
        code, _, err = run(capsys, "train", "--resume", checkpoint, *flags, "--steps", "30")
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert named in err and "Traceback" not in err, err
        assert "continues" in err or "-p" in flags, err
    # the same values written out again, --steps and run options: allowed, and they apply
    code, resumed, _ = run(
        capsys,
        *["train", "--resume", checkpoint, "--width", "64", "--no-early-stop", POLY],
        *["--steps", "30", "--device", "cpu", "-q", "--json"],
        *["-o", str(second), "--checkpoint-every", "5"],
    )
    assert code == 0 and resumed["steps_run"] == 30
    assert sorted(p.name for p in (second / "checkpoints").glob("step_*.pt")) == [
        "step_00000025.pt",
        "step_00000030.pt",
    ]
    code, whole, _ = run(capsys, *base, "--steps", "30")
    assert code == 0 and resumed["history"] == whole["history"]  # exactly the uninterrupted run

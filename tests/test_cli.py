"""The installed `polyclass` entry point, run in a subprocess as a user would."""

import json
import shutil
import subprocess
import sys

import pytest

EXE = shutil.which("polyclass")


def run(*args: str) -> subprocess.CompletedProcess:
    cmd = [EXE, *args] if EXE else [sys.executable, "-m", "polyclass", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_parse_prints_a_summary():
    out = run("parse", "(4x + y^2)^3 mod 97")
    assert out.returncode == 0, out.stderr
    assert "(4*x + y^2)^3 mod 97" in out.stdout
    assert "y^6 + 12*x*y^4 + 48*x^2*y^2 + 64*x^3" in out.stdout
    assert "shape (97, 97)" in out.stdout


def test_parse_json_is_the_library_to_dict():
    import polyclass as pc

    out = run("parse", "x*y + 1", "-p", "23", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    library = json.loads(json.dumps(pc.parse("x*y + 1", p=23).to_dict()))
    assert {k: data[k] for k in library} == library  # plus the table summary of the text


def test_decompose_shows_maps_and_writes_dot(tmp_path):
    dot = tmp_path / "d.dot"
    out = run("decompose", "64*x^3 + 48*x^2*y^2 + 12*x*y^4 + y^6 mod 97", "--dot", str(dot))
    assert out.returncode == 0, out.stderr
    assert "h_of_sum" in out.stdout and "h(u) = u^3" in out.stdout
    assert dot.read_text().startswith("digraph decomposition {")
    data = json.loads(run("decompose", "x*y mod 5", "--json").stdout)
    assert data["form"] == "multiplicative" and data["structure"]["group"] == [4, 3]


def test_python_dash_m_works():
    out = subprocess.run(
        [sys.executable, "-m", "polyclass", "parse", "x mod 3"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "x mod 3" in out.stdout


def test_compile_save_and_verify_the_saved_network(tmp_path):
    path = tmp_path / "net.safetensors"
    out = run("compile", "2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3 mod 23", "-o", str(path))
    assert out.returncode == 0, out.stderr
    assert "accuracy 1.000000 (529/529)" in out.stdout
    report = json.loads(run("verify", str(path), "--json").stdout)
    assert report["accuracy"] == 1.0 and report["n_cases"] == 529 and report["failures"] == []


def test_classify_gives_verdict_and_reason_and_json():
    out = run("classify", "(5*n1^3 + 2*n2^4)^2 mod 23")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("learnable")
    data = json.loads(run("classify", "(4*n1 + n2^2)^3 + n1*n2 mod 23", "--json").stdout)
    assert data["learnable"] is False and data["certificate"]


def test_sweep_and_atlas_commands(tmp_path):
    db = tmp_path / "a.sqlite"
    family = "vars=1, degree<=1, coeffs=0..1, p=5"
    out = run("sweep", "--family", family, "--db", str(db), "--width", "16", "--steps", "20")
    assert out.returncode == 0, out.stderr
    assert "4 distinct polynomials" in out.stdout and "4 rows stored" in out.stdout
    report = json.loads(run("atlas", str(db), "--json").stdout)
    assert report["jobs"] == 4  # 0, 1, n1, n1 + 1
    png = tmp_path / "atlas.png"
    assert run("atlas", str(db), "--plot", str(png)).returncode == 0 and png.stat().st_size > 0


@pytest.mark.parametrize(
    "args",
    [
        ("parse", "sin(x) mod 7"),
        ("parse", "x + y"),
        ("parse", "x mod 96"),
        ("parse", ""),
        ("decompose", "x / 0 mod 7"),
        ("decompose", "x + y mod 7", "--dot", "/nonexistent-dir/d.dot"),
        ("compile", "x*y mod 7", "--width", "lots"),
        ("compile", "x*y mod 7", "--method", "exact", "--width", "1"),
        ("verify", "/nonexistent/net.safetensors"),
        ("classify", "x*y mod 9"),
        ("sweep", "--family", "vars=2, p=4", "--db", "/tmp/never.sqlite"),
        ("atlas", "/nonexistent.sqlite"),
    ],
)
def test_bad_input_gives_one_line_and_status_2(args):
    out = run(*args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "error" in out.stderr


def test_unknown_subcommand_is_a_usage_error():
    assert run("frobnicate").returncode == 2


def test_train_saves_a_run_that_plot_draws(tmp_path):
    run_dir = tmp_path / "run"
    out = run("train", "n1*n2 mod 11", "--width", "32", "--steps", "150", "-o", str(run_dir))
    assert out.returncode == 0, out.stderr
    saved = json.loads((run_dir / "result.json").read_text())
    assert saved["polynomial"] == "n1*n2 mod 11" and saved["history"]
    for kind in ("curves", "ipr", "weights"):
        png = tmp_path / f"{kind}.png"
        res = run("plot", str(run_dir), "--kind", kind, "-o", str(png))
        assert res.returncode == 0, res.stderr
        assert png.read_bytes()[:4] == b"\x89PNG"


def test_check_json_reports_prediction_and_outcome():
    out = run("check", "n1 + n2 mod 7", "--width", "32", "--steps", "300", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["predicted"] is True and set(data) >= {"observed", "agrees", "chance"}


def test_ctrl_c_during_training_leaves_a_resumable_checkpoint(tmp_path):
    import signal
    import time

    run_dir = tmp_path / "run"
    cmd = [EXE] if EXE else [sys.executable, "-m", "polyclass"]
    # not learnable (never grokked, so no early stop) and no weight decay (no collapse):
    # the run is still training when Ctrl-C arrives, however fast the machine
    poly = "(4*n1 + n2^2)^3 + n1*n2 mod 11"
    cmd += ["train", poly, "--width", "32", "--wd", "0", "--steps", "10000000"]
    cmd += ["-o", str(run_dir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    metrics = run_dir / "metrics.jsonl"  # its first line: the training loop is running
    deadline = time.monotonic() + 300  # however loaded the machine
    while not (metrics.is_file() and metrics.read_text().strip()):
        assert proc.poll() is None and time.monotonic() < deadline, "training never started"
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    checkpoint = run_dir / "interrupted.pt"
    assert checkpoint.is_file() and "--resume" in err and "Traceback" not in err
    import torch

    step = torch.load(checkpoint, weights_only=True)["step"]
    assert step >= 1
    out = run("train", "--resume", str(checkpoint), "--steps", str(step + 20), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["steps_run"] == step + 20


def test_verify_chunk_size_changes_the_passes_not_the_report(tmp_path):
    path = tmp_path / "net.safetensors"
    assert run("compile", "x^2*y + 3*y mod 13", "-o", str(path), "--no-verify").returncode == 0
    whole = json.loads(run("verify", str(path), "--json").stdout)
    chunked = json.loads(run("verify", str(path), "--json", "--chunk-size", "7").stdout)
    for key in ("mse", "mean_margin"):  # float sums: chunking reorders them
        assert chunked.pop(key) == pytest.approx(whole.pop(key), rel=1e-6)
    del chunked["seconds"], whole["seconds"]
    assert chunked == whole and whole["accuracy"] == 1.0 and whole["n_cases"] == 169
    out = run("compile", "x*y mod 13", "--chunk-size", "5")
    assert out.returncode == 0 and "accuracy 1.000000 (169/169)" in out.stdout
    bad = run("verify", str(path), "--chunk-size", "0")
    assert bad.returncode == 2 and "chunk_size" in bad.stderr and "Traceback" not in bad.stderr


def test_verify_over_the_memory_cap_names_the_chunk_size_flag():
    out = run("verify", "x^3 + y^3 mod 211", "--max-memory", "2M")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "--chunk-size" in out.stderr
    fits = run("verify", "x^3 + y^3 mod 211", "--max-memory", "2M", "--chunk-size", "500")
    assert fits.returncode == 0, fits.stderr
    assert "accuracy 1.000000 (44521/44521)" in fits.stdout

import dataclasses
import hashlib
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import polyclass as pc
from polyclass.atlas import (
    FamilyError,
    ResultStore,
    atlas,
    enumerate_family,
    load_family,
    reclassify,
    store,
)
from polyclass.atlas.jobs import sweep_config
from polyclass.atlas.store import config_hash

from atlas_rows import store_row
from reference import table_of

TINY = dict(width=16, steps=40, eval_every=10)


def test_spec_string_is_read():
    F = load_family("vars=2, degree<=2, coeffs=-1..1, p=23|97, form=h_of_sum|composite")
    assert F.variables == ("n1", "n2") and F.max_degree == 2 and not F.exact_degree
    assert F.coeffs == (-1, 0, 1) and F.primes == (23, 97)
    assert F.forms == ("h_of_sum", "composite")
    assert len(F.monomials()) == 6 and F.size() == 3**6


def test_toml_and_list_files(tmp_path):
    toml = tmp_path / "family.toml"
    toml.write_text('vars = ["x", "y"]\ndegree = 1\ncoeffs = [0, 2]\np = [5]\n')
    F = load_family(str(toml))
    assert F.variables == ("x", "y") and F.coeffs == (0, 2) and F.size() == 8
    listing = tmp_path / "polys.txt"
    listing.write_text("# paper\nx*y mod 7\n(x + y)^2   # uses the default primes\np = 5|7\n")
    E = enumerate_family(load_family(str(listing)))
    assert sorted((str(P), P.p) for P in E.polys) == [
        ("(x + y)^2 mod 5", 5),
        ("(x + y)^2 mod 7", 7),
        ("x*y mod 7", 7),
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("vars=2, degree<=2, colour=red", "unknown family key"),
        ("vars=2, coeffs=3..1", "empty range"),
        ("vars=2, p=24", "must be a prime"),
        ("vars=2, form=sideways", "unknown form"),
        ("vars two", "cannot read"),
        ("missing.toml", "does not exist"),
    ],
)
def test_bad_family_specs_raise_clear_errors(spec, message):
    with pytest.raises(FamilyError, match=message):
        load_family(spec)


def test_large_families_are_refused_with_the_count():
    with pytest.raises(FamilyError, match="9,765,625 polynomials"):
        enumerate_family(load_family("vars=2, degree<=3, coeffs=-2..2, p=23"))


def test_equal_tables_are_merged_and_counted():
    # over GF(3), x^3 = x: many polynomials of degree <= 3 coincide as functions
    F = load_family("vars=1, degree<=3, coeffs=0..2, p=3")
    E = enumerate_family(F)
    tables = set()
    for coeffs in itertools.product(range(3), repeat=4):  # x^3, x^2, x, 1 (enumeration order)
        fn = lambda x, c=coeffs: sum(ci * x ** (3 - i) for i, ci in enumerate(c))  # noqa: E731
        tables.add(tuple(table_of(fn, 3, 1).tolist()))
    assert E.enumerated == 81
    assert len(E.polys) == len(tables) == 27  # every function GF(3) -> GF(3), once
    assert E.merged == 81 - 27
    assert [str(P) for P in E.polys] == [str(P) for P in enumerate_family(F).polys]


def test_form_filter():
    E = enumerate_family(load_family("vars=2, degree=2, coeffs=0..1, p=5, form=multiplicative"))
    assert sorted(P.expanded() for P in E.polys) == ["n1*n2"]
    assert (E.enumerated, E.merged, E.filtered) == (8, 0, 7)


def test_store_ignores_duplicate_keys(tmp_path):
    db = tmp_path / "a.sqlite"
    with ResultStore(db) as store:
        assert store.write([store_row("x mod 23", 1, 1.0, score=1.0)]) == 1
        assert (
            store.write(
                [store_row("x mod 23", 1, 0.5, score=1.0), store_row("y mod 23", 0, 0.1, score=0.0)]
            )
            == 1
        )
        assert store.count() == 2
        assert store.done_keys("c") == {("x mod 23", 23, 0), ("y mod 23", 23, 0)}
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


# Hashes of the schema-2 store: hyperparameters only (run options were once dropped by a
# hand-written ignore list), without the training fraction, which is the row's alpha.
# Schema-1 databases are migrated to these on opening.
HASHES_BEFORE_THE_SPLIT = {
    (23, ()): "e85aa5abf4ab45b2",
    (97, ()): "e580107b25544fde",
    (23, (("steps", 100), ("width", 64))): "b4d07117f6134f41",
}


def test_config_hash_of_the_same_hyperparameters_is_unchanged():
    for (p, options), expected in HASHES_BEFORE_THE_SPLIT.items():
        assert config_hash(sweep_config(p, **dict(options))) == expected
    assert config_hash(pc.TrainConfig()) == "70485d9f59688940"
    assert config_hash(pc.TrainConfig().to_dict()) == config_hash(pc.TrainConfig())


def test_a_new_hyperparameter_at_its_default_keeps_the_hash(monkeypatch):
    # pretend track_ipr was added after the first databases were written
    before = config_hash(pc.TrainConfig())
    monkeypatch.setattr(store, "HASHED_SINCE_SCHEMA_1", store.HASHED_SINCE_SCHEMA_1 - {"track_ipr"})
    without = pc.TrainConfig().to_dict()
    del without["track_ipr"]
    del without["train_fraction"]  # the row's alpha, outside the hash
    del without["settle"]  # added after schema 1, hashed only away from its default
    del without["settle_rule"]  # the same
    digest = hashlib.sha256(json.dumps(without, sort_keys=True).encode()).hexdigest()[:16]
    assert config_hash(pc.TrainConfig()) == digest != before
    assert config_hash(pc.TrainConfig(track_ipr=False)) not in (digest, before)
    band, trend = pc.TrainConfig(settle=20), pc.TrainConfig(settle=20, settle_rule="trend")
    assert config_hash(band) != config_hash(trend)
    hyper = {f.name for f in dataclasses.fields(pc.TrainConfig)}
    assert store.HASHED_SINCE_SCHEMA_1 <= hyper  # a hyperparameter is never dropped


def test_run_options_cannot_enter_the_config_hash():
    from polyclass.training import RunOptions

    hyper = {f.name for f in dataclasses.fields(pc.TrainConfig)}
    assert not hyper & {f.name for f in dataclasses.fields(RunOptions)}
    with pytest.raises(pc.TrainConfigError, match="run options"):
        config_hash(dict(pc.TrainConfig().to_dict(), device="cpu"))
    with pytest.raises(pc.TrainConfigError, match="unknown training option"):
        config_hash(dict(pc.TrainConfig().to_dict(), colour="red"))


def test_atlas_report_counts_agreement_and_calibration(tmp_path):
    db = tmp_path / "a.sqlite"
    rows = [
        store_row("a mod 23", 1, 1.00, score=1.0, form="h_of_sum"),  # agree
        store_row("b mod 23", 1, 0.30, score=1.0, form="h_of_sum"),  # disagree
        store_row("c mod 23", 0, 0.05, score=0.1, form="general"),  # agree
        store_row(
            "d mod 23", 0, 0.99, score=0.2, form="general"
        ),  # disagree (0.99 counts as learned)
        store_row("e mod 23", None, 0.50, score=None, form="general"),  # undetermined, not scored
    ]
    with ResultStore(db) as store:
        store.write(rows)
    R = atlas(db)
    assert R.jobs == 5
    assert R.confusion() == {
        "learnable": {"learned": 1, "not learned": 1},
        "not learnable": {"learned": 1, "not learned": 1},
        "undetermined": {"learned": 0, "not learned": 1},
    }
    assert R.agreement() == 0.5
    assert R.agreement_by("decomposition_form") == {"general": (0.5, 2), "h_of_sum": (0.5, 2)}
    assert R.calibration_error() == pytest.approx((0.0 + 0.7 + 0.05 + 0.79) / 4)
    assert {r["poly"] for r in R.disagreements()} == {"b mod 23", "d mod 23"}
    assert "2 disagreement(s)" in str(R)
    json.dumps(R.to_dict())
    R.to_csv(tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text().count("\n") == 6


def test_atlas_plot_has_one_scatter_per_form(tmp_path):
    db = tmp_path / "a.sqlite"
    with ResultStore(db) as store:
        store.write(
            [
                store_row("a mod 23", 1, 1.0, score=1.0, form="h_of_sum"),
                store_row("b mod 23", 0, 0.1, score=0.0),
            ]
        )
    fig = atlas(db).plot()
    assert len(fig.axes[0].collections) == 2


def test_missing_database_is_an_error(tmp_path):
    with pytest.raises(pc.PolyclassError, match="no sweep database"):
        atlas(tmp_path / "none.sqlite")


def _has_classifier() -> bool:
    try:
        from polyclass.learnability import classify  # noqa: F401
    except ImportError:
        return False
    return True


needs_classifier = pytest.mark.skipif(
    not _has_classifier(), reason="the learnability classifier has not landed"
)


@needs_classifier
def test_sweep_stores_one_row_per_job_and_resumes(tmp_path):
    db = tmp_path / "s.sqlite"
    family = "vars=2, degree<=1, coeffs=0..1, p=5"
    first = pc.sweep(family, db=db, seeds=2, batch_size=3, progress=False, **TINY)
    assert first.distinct_polynomials == 8 and first.jobs == 16 and first.ran == 16
    again = pc.sweep(family, db=db, seeds=2, batch_size=3, progress=False, **TINY)
    assert again.ran == 0 and again.already_done == 16 and again.rows_in_db == 16
    rows = atlas(db).rows
    assert {(r["poly"], r["seed"]) for r in rows} == {
        (f"{P.expanded()} mod 5", s)
        for P in enumerate_family(load_family(family)).polys
        for s in (0, 1)
    }
    constant = [r for r in rows if r["poly"] == "1 mod 5"]
    assert all(r["predicted"] == 1 for r in constant)


@needs_classifier
def test_sweep_finishes_after_kill_minus_9(tmp_path):
    db = tmp_path / "k.sqlite"
    family = "vars=2, degree<=1, coeffs=-1..1, p=5"
    cmd = [
        sys.executable,
        "-m",
        "polyclass",
        "sweep",
        "--family",
        family,
        "--db",
        str(db),
        "--seeds",
        "2",
        "--batch-size",
        "2",
        "--width",
        "64",
        "--steps",
        "300",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    count = 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                count = (
                    sqlite3.connect(db, timeout=1)
                    .execute("SELECT COUNT(*) FROM results")
                    .fetchone()[0]
                )
            except sqlite3.OperationalError:
                count = 0
            if count >= 2:
                break
        time.sleep(0.01)
    assert proc.poll() is None, f"the sweep ended before it could be killed: {proc.stderr.read()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    total_jobs = len(enumerate_family(load_family(family)).polys) * 2
    killed_at = sqlite3.connect(db).execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert 2 <= killed_at < total_jobs
    out = subprocess.run(cmd + ["--json"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["already_done"] == killed_at and summary["ran"] == total_jobs - killed_at
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == total_jobs
    distinct = conn.execute("SELECT COUNT(DISTINCT poly || ':' || seed) FROM results").fetchone()[0]
    assert distinct == total_jobs


@pytest.mark.slow
@needs_classifier
def test_ray_backend_gives_the_same_rows_as_local(tmp_path):
    ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install '.[ray]')")
    family = "vars=2, degree<=1, coeffs=0..1, p=5"
    local = tmp_path / "local.sqlite"
    remote = tmp_path / "ray.sqlite"
    pc.sweep(family, db=local, seeds=2, batch_size=4, progress=False, **TINY)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        pc.sweep(family, db=remote, seeds=2, batch_size=4, backend="ray", progress=False, **TINY)
    finally:
        ray.shutdown()
    key = lambda r: (r["poly"], r["seed"])  # noqa: E731
    a = sorted(atlas(local).rows, key=key)
    b = sorted(atlas(remote).rows, key=key)
    assert [key(r) for r in a] == [key(r) for r in b]
    for x, y in zip(a, b, strict=True):
        for col in ("predicted", "verdict_form", "score", "certificate", "chance", "config_hash"):
            assert x[col] == y[col]
        assert x["observed_test_accuracy"] == pytest.approx(y["observed_test_accuracy"], abs=0.02)


@needs_classifier
def test_reclassify_replaces_predictions_and_keeps_training(tmp_path):
    db = tmp_path / "r.sqlite"
    pc.sweep("vars=2, degree<=1, coeffs=0..1, p=5", db=db, progress=False, **TINY)
    before = {r["poly"]: r for r in atlas(db).rows}
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE results SET predicted = NULL, score = NULL, certificate = 'stale'")
    assert reclassify(db) == len(before)
    after = {r["poly"]: r for r in atlas(db).rows}
    for poly, row in after.items():
        for col in ("predicted", "score", "certificate", "observed_test_accuracy", "variables"):
            assert row[col] == before[poly][col]


# ---- training fraction axis (issue 12) ----------------------------------------------------


def test_family_alpha_key_and_jobs_per_alpha():
    from polyclass.atlas.family import enumerate_family
    from polyclass.atlas.jobs import job_batches, plan_jobs

    fam = load_family("vars=2, degree<=1, coeffs=0..1, p=5, alpha=0.3|0.7")
    assert fam.alphas == (0.3, 0.7)
    assert load_family("vars=2, degree<=1, p=5").alphas == (0.5,)
    jobs = plan_jobs(enumerate_family(fam), [0, 1], fam.alphas)
    assert len(jobs) == len(enumerate_family(fam).polys) * 2 * 2
    for batch in job_batches(jobs, 3):
        assert len({(job.p, job.alpha) for job in batch}) == 1
    for bad in ("alpha=1.5", "alpha=0", "alpha=half"):
        with pytest.raises(FamilyError, match="alpha"):
            load_family(f"vars=2, degree<=1, p=5, {bad}")


def test_config_hash_leaves_out_the_training_fraction_and_an_unset_settle_rule():
    from polyclass.atlas.store import config_hash
    from polyclass.training import TrainConfig

    base = TrainConfig(width=64).to_dict()
    assert config_hash({**base, "train_fraction": 0.3}) == config_hash(base)
    legacy = {k: v for k, v in base.items() if k != "settle"}  # written before settle existed
    assert config_hash(legacy) == config_hash(base)
    assert config_hash({**base, "settle": 20}) != config_hash(base)


def test_schema_1_database_is_migrated_with_alpha_from_the_config(tmp_path):
    from polyclass.atlas.store import config_hash

    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE results (id INTEGER PRIMARY KEY, poly TEXT NOT NULL, p INTEGER NOT NULL,"
        " seed INTEGER NOT NULL, config_hash TEXT NOT NULL, config TEXT,"
        " observed_test_accuracy REAL, UNIQUE (poly, p, seed, config_hash))"
    )
    configs = [{"width": 64, "train_fraction": 0.7}, {"width": 64}]
    for k, cfg in enumerate(configs):
        conn.execute(
            "INSERT INTO results (poly, p, seed, config_hash, config, observed_test_accuracy)"
            " VALUES (?, 5, 0, ?, ?, 0.5)",
            (f"x + {k} mod 5", f"old{k}", json.dumps(cfg)),
        )
    conn.commit()
    conn.close()
    with ResultStore(db) as store:
        rows = store.rows(("poly", "alpha", "config_hash", "observed_test_accuracy"))
        assert [r["alpha"] for r in rows] == [0.7, 0.5]
        assert [r["config_hash"] for r in rows] == [config_hash(c) for c in configs]
        assert rows[0]["observed_test_accuracy"] == 0.5
        # alpha is part of the key: the same job at another fraction is a new row
        new = {"poly": "x + 0 mod 5", "p": 5, "seed": 0, "config_hash": rows[0]["config_hash"]}
        assert store.write([{**new, "alpha": 0.7}]) == 0
        assert store.write([{**new, "alpha": 0.3}]) == 1
        assert store.done_keys(rows[0]["config_hash"], 0.3) == {("x + 0 mod 5", 5, 0)}

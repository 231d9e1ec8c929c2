"""Random samples of a family (sweep --sample) and the atlas listing with its filters."""

import itertools
import time

import pytest

import polyclass as pc
from polyclass.atlas import FamilyError, ResultStore, atlas, enumerate_family, load_family

from atlas_rows import store_row

SPEC = "vars=2, degree<=2, coeffs=-1..1, p=5"


def _all_coefficient_vectors():
    # independent of Family: the 6 monomials of degree <= 2 in two variables, coefficients
    # -1..1, as their value tables at p = 5 (plain Python integers)
    monos = [(a, b) for a in range(3) for b in range(3) if a + b <= 2]
    tables = set()
    for coeffs in itertools.product((-1, 0, 1), repeat=len(monos)):
        tables.add(
            tuple(
                sum(c * x**a * y**b for c, (a, b) in zip(coeffs, monos, strict=True)) % 5
                for x in range(5)
                for y in range(5)
            )
        )
    return tables


def _table(P):
    return tuple(int(v) for v in P.table().ravel())


def test_a_sample_is_seeded_without_repetition_and_inside_the_family():
    family = load_family(SPEC)
    first = enumerate_family(family, sample=12, sample_seed=3)
    again = enumerate_family(family, sample=12, sample_seed=3)
    other = enumerate_family(family, sample=12, sample_seed=4)
    assert first.enumerated == 12 and len(first.polys) + first.merged == 12
    assert [str(P) for P in first.polys] == [str(P) for P in again.polys]
    assert [str(P) for P in first.polys] != [str(P) for P in other.polys]
    members = _all_coefficient_vectors()
    assert all(_table(P) in members for P in first.polys)


def test_text_at_matches_the_enumeration_order():
    family = load_family(SPEC)
    texts = list(family.texts())
    assert len(texts) == 3**6
    assert [family.text_at(i) for i in range(len(texts))] == texts


def test_sampling_a_family_far_above_the_cap_is_quick():
    family = load_family("vars=2, degree<=3, coeffs=-2..2, p=7")  # 5^10 members
    with pytest.raises(FamilyError, match="more than the cap"):
        enumerate_family(family)
    start = time.perf_counter()
    E = enumerate_family(family, sample=5)
    assert E.enumerated == 5 and time.perf_counter() - start < 10


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_bad_sample_sizes_are_refused(bad):
    with pytest.raises(FamilyError, match="'sample' must be an integer >= 1"):
        enumerate_family(load_family(SPEC), sample=bad)


def test_a_sample_larger_than_the_family_takes_it_all():
    family = load_family("vars=1, degree<=1, coeffs=0..1, p=5")
    assert enumerate_family(family, sample=100).enumerated == 4


ROWS = [
    store_row("a mod 23", 1, 1.00, form="h_of_sum", score=1.0),  # agrees
    store_row("b mod 23", 1, 0.30, form="h_of_sum", score=1.0),  # disagrees
    store_row("c mod 5", 0, 0.05, form="general", p=5, score=0.2),  # agrees
    store_row("d mod 5", 0, 0.995, form="general", p=5, seed=1),  # disagrees (learned)
    store_row("e mod 23", None, 0.50, form="general"),  # undetermined
]


def expected(form=None, p=None, agreement=None):
    def outcome(r):
        if r["predicted"] is None:
            return "undetermined"
        learned = r["observed_test_accuracy"] >= 0.99
        return "agrees" if (r["predicted"] == 1) == learned else "disagrees"

    return [
        r["poly"]
        for r in ROWS
        if form in (None, r["decomposition_form"])
        and p in (None, r["p"])
        and agreement in (None, outcome(r))
    ]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"form": "general"},
        {"p": 5},
        {"agreement": "agrees"},
        {"agreement": "disagrees"},
        {"agreement": "undetermined"},
        {"form": "general", "agreement": "disagrees"},
        {"form": "affine"},
    ],
)
def test_select_filters_by_form_prime_and_agreement(tmp_path, filters):
    db = tmp_path / "a.sqlite"
    with ResultStore(db) as store:
        store.write(ROWS)
    report = atlas(db)
    assert [r["poly"] for r in report.select(**filters)] == expected(**filters)


def test_listing_has_one_line_per_job(tmp_path):
    db = tmp_path / "a.sqlite"
    with ResultStore(db) as store:
        store.write(ROWS)
    report = atlas(db)
    lines = report.listing(report.select()).splitlines()
    assert len(lines) == 1 + len(ROWS) and lines[0].startswith("polynomial")
    assert "disagrees" in lines[2] and "99.5%" in lines[4] and "undetermined" in lines[5]
    with pytest.raises(pc.PolyclassError, match="agreement must be one of"):
        report.select(agreement="maybe")


def test_pc_atlas_is_callable_after_pc_sweep_imported_the_package(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "a.sqlite"
    with ResultStore(db) as store:
        store.write(ROWS)
    code = f"import polyclass as pc; pc.sweep; print(pc.atlas({str(db)!r}).jobs)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(len(ROWS))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"workers": 0}, "workers"),
        ({"batch_size": True}, "batch_size"),
        ({"seeds": 0}, "seeds"),
        ({"seeds": [-1]}, "seeds"),
        ({"backend": "spark"}, "backend"),
        ({"max_polynomials": -5}, "max_polynomials"),
    ],
)
def test_bad_sweep_arguments_are_refused_before_any_work(kwargs, name, tmp_path):
    db = tmp_path / "a.sqlite"
    with pytest.raises(pc.PolyclassError, match=f"Argument '{name}' must be"):
        pc.sweep(SPEC, db=db, progress=False, **kwargs)
    assert not db.exists()  # refused before the database was opened

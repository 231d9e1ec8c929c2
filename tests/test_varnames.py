"""ModPoly.notes: names that are other variables of the same text written side by side."""

import time

import pytest

import polyclass as pc
from polyclass.varnames import MAX_CHECKED_LENGTH, concatenation_notes


def test_concatenated_name_gets_a_note_with_the_product_to_write():
    P = pc.parse("x^2 + 3xy + y^2 mod 7")
    assert P.variables == ("x", "xy", "y")  # still allowed: names may have several letters
    (note,) = P.notes
    assert "'xy'" in note and "3*x*y" in note


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("n1n2 + n1 + n2 mod 5", {"n1n2"}),
        ("ab + a + b + abab mod 7", {"ab", "abab"}),  # abab = ab ab
        ("xyz + x + y + z mod 5", {"xyz"}),
        ("xy + z mod 5", set()),  # x and y are not variables here
        ("xz + x mod 5", set()),  # z is not one
        ("rate*time + r mod 5", set()),
        ("x*y mod 5", set()),
    ],
)
def test_which_names_are_flagged(text, flagged):
    notes = pc.parse(text).notes
    assert {n.split("'")[1] for n in notes} == flagged


def test_declared_variables_are_taken_as_meant():
    assert pc.parse("x^2 + 3xy + y^2", p=7, variables="x,xy,y").notes == ()


def test_notes_do_not_change_equality_and_are_in_to_dict():
    P = pc.parse("3xy + x + y mod 5")
    Q = pc.parse("3*xy + x + y mod 5", variables=("x", "xy", "y"))
    assert P == Q and P.notes and not Q.notes
    assert P.to_dict()["notes"] == list(P.notes)


def test_long_names_are_not_checked_and_the_check_stays_cheap():
    long = "ab" * (MAX_CHECKED_LENGTH // 2 + 1)
    assert concatenation_notes(long, (long, "a", "b")) == ()
    names = tuple(f"v{i}" for i in range(500)) + tuple("v" * 60 + str(i) for i in range(300))
    start = time.perf_counter()
    concatenation_notes(" + ".join(names), names)
    assert time.perf_counter() - start < 5

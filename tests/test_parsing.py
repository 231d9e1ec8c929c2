import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import polyclass as pc
from polyclass import ParseError, PolyclassError

from reference import table_of

SAME_FUNCTION = [
    # (text, reference function of x, y)
    ("(4*x + y^2)^3 mod 97", lambda x, y: (4 * x + y * y) ** 3),
    ("(4x + y**2)**3 (mod 97)", lambda x, y: (4 * x + y * y) ** 3),
    ("(4 x + y^2)^3 % 97", lambda x, y: (4 * x + y * y) ** 3),
    ("(4*x + y^2)^3, p=97", lambda x, y: (4 * x + y * y) ** 3),
    ("(x+1)(y-2) mod 97", lambda x, y: (x + 1) * (y - 2)),
    ("3 x y - -x mod 97", lambda x, y: 3 * x * y + x),
    ("-x^2 + 2^3^2 y mod 97", lambda x, y: -(x * x) + 512 * y),
    (
        "123456789012345678901234567890 x + y mod 97",
        lambda x, y: 123456789012345678901234567890 * x + y,
    ),
]


@pytest.mark.parametrize(("text", "fn"), SAME_FUNCTION)
def test_accepted_spellings_give_the_exact_table(text, fn):
    P = pc.parse(text)
    assert P.p == 97 and P.variables == ("x", "y")
    assert (P.table() == table_of(fn, 97, 2)).all()


def test_modulus_as_keyword():
    assert pc.parse("x*y", p=23).p == 23
    assert pc.parse("x*y mod 23", p=23).p == 23


def test_modular_division_and_inverse_map_zero_to_zero():
    p = 23
    P = pc.parse("x/y + y^-2", p=p)
    expected = table_of(lambda x, y: x * pow(y, p - 2, p) + pow(y, 2 * (p - 2), p), p, 2)
    assert (P.table() == expected).all()
    assert P(5, 0) == 0  # 5/0 + 0^-2 = 0 by convention
    assert P(5, 2) == (5 * pow(2, -1, p) + pow(2, -2, p)) % p


def test_constant_fractions_are_modular_inverses():
    assert (
        pc.parse("x/2 + 1/3", p=7)(
            1,
        )
        == (pow(2, -1, 7) + pow(3, -1, 7)) % 7
    )


def test_variables_are_ordered_naturally():
    assert pc.parse("n10 + n2 + n1 mod 5").variables == ("n1", "n2", "n10")
    assert pc.parse("z + x + y mod 5").variables == ("x", "y", "z")
    assert pc.parse("b*a mod 5").variables == ("a", "b")


def test_explicit_variables_fix_order_and_may_add_unused_ones():
    P = pc.parse("y^2 + x mod 5", variables=["y", "x", "z"])
    assert P.variables == ("y", "x", "z")
    assert P.table().shape == (5, 5, 5)
    assert P(2, 3, 4) == (4 + 3) % 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty polynomial"),
        ("   mod 97", "empty polynomial"),
        ("x + y", "no modulus"),
        ("x + y mod 96", "must be a prime >= 3, not 96"),
        ("x + y mod 2", "must be a prime >= 3, not 2"),
        ("x + y mod q", "modulus must be a prime integer"),
        ("x + 1.5 mod 7", "non-integer number '1.5'"),
        ("x + 1e5 mod 7", "non-integer number"),
        ("sin(x) mod 7", "unknown function 'sin'"),
        ("foo(x) mod 7", "unknown function 'foo'"),
        ("pi * x mod 7", "unknown symbol 'pi'"),
        ("x / 7 mod 7", "division by a constant that is 0 mod 7"),
        ("x / (3 - 3) mod 7", "division by a constant that is 0 mod 7"),
        ("14^-1 * x mod 7", "negative power of a constant that is 0 mod 7"),
        ("x^y mod 7", "exponent must be an integer constant"),
        ("x^(1/2) mod 7", "exponent must be an integer constant"),
        ("x^(10^10^10) mod 7", "exponent too large"),
        ("(x + y mod 7", "missing '\\)'"),
        ("x + y) mod 7", "unexpected '\\)'"),
        ("x + * y mod 7", "unexpected '\\*'"),
        ("x + mod 7", "expression ends too early"),
        ("x $ y mod 7", "unexpected character '\\$'"),
        ("x % y mod 7", '"%" must come last'),
        ("2 3 mod 7", "two numbers in a row"),
    ],
)
def test_bad_input_raises_parse_error_pointing_at_the_problem(text, message):
    with pytest.raises(ParseError, match=message):
        pc.parse(text)


def test_unknown_symbol_with_declared_variables():
    with pytest.raises(ParseError, match="unknown symbol 'z' \\(the variables are x, y\\)"):
        pc.parse("x + z mod 7", variables=("x", "y"))


def test_error_names_the_column():
    with pytest.raises(ParseError, match="at column 5"):
        pc.parse("x + )", p=7)


def test_conflicting_moduli():
    with pytest.raises(ParseError, match="given twice"):
        pc.parse("x mod 7", p=11)


def test_too_long_and_too_deep_inputs_are_refused_quickly():
    with pytest.raises(ParseError, match="too long"):
        pc.parse("x+" * 20000 + "x mod 7")
    with pytest.raises(ParseError, match="nested"):
        pc.parse("(" * 500 + "x" + ")" * 500 + " mod 7")


def test_huge_integer_literals_are_accepted():
    P = pc.parse("9" * 6000 + "*x mod 97")
    assert P(1) == (10**6000 - 1) % 97


VALID = [t for t, _ in SAME_FUNCTION] + ["x/y + y^-1 mod 5", "2*n1^4*n2 + n1^2*n2^2 mod 97"]
ALPHABET = "xyzn12 34+-*/^()%.,=modp\t"


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_fuzz_random_strings_raise_only_polyclass_errors(text):
    try:
        P = pc.parse(text)
    except PolyclassError:
        return
    if P.p**P.nvars <= 10**6:
        assert P.table(max_cells=10**6).max(initial=0) < P.p


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(VALID),
    cuts=st.lists(
        st.tuples(st.integers(0, 60), st.text(alphabet=ALPHABET, max_size=3)), max_size=3
    ),
)
def test_fuzz_mutations_of_valid_inputs_raise_only_polyclass_errors(base, cuts):
    text = base
    for pos, insert in cuts:
        pos = min(pos, len(text))
        text = text[:pos] + insert + text[pos + 1 :]
    try:
        P = pc.parse(text)
    except PolyclassError:
        return
    if P.p**P.nvars <= 10**6:
        P.table(max_cells=10**6)
    assert all(0 < c < P.p for c in P.terms.values())

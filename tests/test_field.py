import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from polyclass import FieldError, TableTooLargeError, field

SMALL_PRIMES = [p for p in range(2, 400) if all(p % q for q in range(2, int(p**0.5) + 1))]


def test_is_prime_matches_trial_division_below_400():
    assert [n for n in range(400) if field.is_prime(n)] == SMALL_PRIMES


@pytest.mark.parametrize("n", [2**31 - 1, 2**61 - 1, 1_000_000_007, 998_244_353])
def test_is_prime_on_known_large_primes(n):
    assert field.is_prime(n)


@pytest.mark.parametrize("n", [2**31 + 1, 561, 1105, 3215031751, 2**61 + 1])
def test_is_prime_rejects_composites_and_carmichael_numbers(n):
    assert not field.is_prime(n)


@pytest.mark.parametrize("bad", [96, 1, 2, 0, -7, 9.0, "97", True, 1001])
def test_check_modulus_rejects_non_primes_with_uniform_message(bad):
    with pytest.raises(FieldError, match="Argument 'p' must be a prime >= 3"):
        field.check_modulus(bad)


def test_check_modulus_suggests_nearest_primes():
    with pytest.raises(FieldError, match="nearest primes: 89 and 97"):
        field.check_modulus(96)


@pytest.mark.parametrize("p", [3, 5, 23, 97, 1009, 65537])
def test_primitive_root_generates_the_whole_group(p):
    g = field.primitive_root(p)
    assert sorted(pow(g, k, p) for k in range(p - 1)) == list(range(1, p))


@pytest.mark.parametrize("p", [3, 23, 97, 1009])
def test_log_and_exp_tables_are_inverse(p):
    E, L = field.exp_table(p), field.log_table(p)
    g = field.primitive_root(p)
    assert [int(v) for v in E] == [pow(g, k, p) for k in range(p - 1)]
    assert L[0] == -1
    assert all(int(E[L[n]]) == n for n in range(1, p))


@pytest.mark.parametrize("p", [3, 23, 97])
def test_inverses(p):
    inv = field.inverse_array(np.arange(p), p)
    assert inv[0] == 0
    assert all(n * int(inv[n]) % p == 1 for n in range(1, p))
    assert field.inverse(2, p) * 2 % p == 1
    with pytest.raises(FieldError):
        field.inverse(p, p)


@given(
    p=st.sampled_from([3, 5, 23, 97, 1009, 2**31 - 1]),
    e=st.integers(min_value=0, max_value=10**40),
    xs=st.lists(st.integers(min_value=0, max_value=2**31), min_size=1, max_size=20),
)
def test_powmod_array_matches_python_pow(p, e, xs):
    x = np.array([v % p for v in xs], dtype=np.int64)
    assert field.powmod_array(x, e, p).tolist() == [pow(v % p, e, p) for v in xs]


def test_reduce_exponent_keeps_zero_to_the_zero_equal_to_one():
    assert field.reduce_exponent(0, 97) == 0
    assert field.powmod_array(np.array([0]), 0, 97).tolist() == [1]
    assert field.powmod_array(np.array([0]), 96 * 10**30, 97).tolist() == [0]


def test_table_size_cap_reports_the_size():
    with pytest.raises(TableTooLargeError, match="1,030,301 cells"):
        field.check_table_size(101, 3, max_cells=10**6)
    assert field.check_table_size(101, 3, max_cells=2 * 10**6) == 101**3

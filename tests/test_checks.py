"""Input checks: check_finite names the first bad entry, whatever the array's layout."""

import numpy as np
import pytest

from rosenblatt.base.checks import check_finite


@pytest.mark.parametrize("shape", [(4, 5), (10, 80), (400, 500)],
                         ids=["small", "row-sized", "large"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_the_first_non_finite_entry_is_named(dtype, bad, shape):
    x = np.ones(shape, dtype)
    x[2, 3] = bad
    x[3, 0] = bad
    with pytest.raises(ValueError, match=rf"x: expected finite numbers, found {bad} at index "
                                         r"\(2, 3\)"):
        check_finite(x, "x")
    with pytest.raises(ValueError, match=r"at index \(0, 3\)"):  # a transposed (strided) view
        check_finite(x.T, "x")


@pytest.mark.parametrize("dtype, big", [(np.float32, 1e30), (np.float64, 1e300),
                                        (np.float16, 6e4)])
def test_huge_finite_values_pass_even_when_their_squares_overflow(dtype, big):
    x = np.full((300, 300), big, dtype)
    x[0, 0] = -big
    check_finite(x, "x")
    check_finite(x[:1, :100], "x")  # one row: the same proof on a small array
    check_finite(x[:, ::2], "x")
    check_finite(np.zeros((0, 3), dtype), "x")
    check_finite(np.array(big, dtype), "x")


def test_integers_are_always_finite():
    check_finite(np.arange(5), "x")

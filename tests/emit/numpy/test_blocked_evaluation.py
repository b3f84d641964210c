"""evaluate_blocked: the same values as one call, for any block size, and the point axes must agree."""
from __future__ import annotations

import numpy as np
import pytest

from derive.generated import granular, moyal
from derive.numeric_support import evaluate_blocked


@pytest.mark.parametrize("block", [1000, 4096, 10**6])
def test_blocks_give_the_values_of_one_call(block: int) -> None:
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(70, 10_001)), rng.normal(size=(70, 10_001))
    np.testing.assert_array_equal(evaluate_blocked(moyal.star_d2_order4, a, b, 0.5, block=block),
                                  moyal.star_d2_order4(a, b, 0.5))
    T = rng.uniform(0.5, 2.0, 10_001)
    np.testing.assert_array_equal(evaluate_blocked(granular.delta_F, T, 0.1, 1.0, block=block),
                                  granular.delta_F(T, 0.1, 1.0))


def test_point_axes_must_agree() -> None:
    with pytest.raises(ValueError, match="same last"):
        evaluate_blocked(granular.delta_F, np.ones(5), np.ones(4), 1.0)

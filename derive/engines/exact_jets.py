"""Exact matrix jets: explicit rational matrices for the continuum claims that need Q² = 1.

A jet holds the derivatives Q<k>, X<k> of Q = UΛU† and of a diagonal χ̂ at one point, as Gaussian-rational
DomainMatrix entries, so a trace polynomial of derive.freealgebra evaluates to an exact number.
"""
from __future__ import annotations

import sympy
from sympy import QQ_I
from sympy.polys.matrices import DomainMatrix

from derive.engines.freealgebra import TracePoly


def _gaussian_rational_matrix(rng, size: int, hermitian: bool) -> DomainMatrix:
    rows = [[QQ_I(rng.randint(-4, 4), rng.randint(-4, 4)) / rng.randint(1, 4) for _ in range(size)] for _ in range(size)]
    matrix = DomainMatrix(rows, (size, size), QQ_I)
    return (matrix + _dagger(matrix)) / QQ_I(2, 0) if hermitian else matrix


def _dagger(matrix: DomainMatrix) -> DomainMatrix:
    return matrix.transpose().applyfunc(lambda z: QQ_I(z.x, -z.y), QQ_I)


def _series_inverse(constant_inverse: DomainMatrix, rest: list[DomainMatrix], order: int) -> list[DomainMatrix]:
    # (B + T(t))^{-1} = Σ_m (−B^{-1}T)^m B^{-1}, T = Σ_{k≥1} t^k rest[k-1]
    size = constant_inverse.shape[0]
    zero = DomainMatrix.zeros((size, size), QQ_I)
    result = [constant_inverse] + [zero] * order
    term = [constant_inverse] + [zero] * order
    for _ in range(order):
        term = [sum((-(constant_inverse * rest[j - 1]) * term[k - j] for j in range(1, k + 1)), zero) for k in range(order + 1)]
        result = [x + y for x, y in zip(result, term, strict=True)]
    return result


def _series_product(*factors: list[DomainMatrix]) -> list[DomainMatrix]:
    product = factors[0]
    for factor in factors[1:]:
        order = len(product) - 1
        zero = product[0] * DomainMatrix.zeros(product[0].shape, QQ_I)
        product = [sum((product[j] * factor[k - j] for j in range(k + 1)), zero) for k in range(order + 1)]
    return product


def exact_jet(seed: int, size: int = 4, order: int = 4) -> dict[str, DomainMatrix]:
    """Exact derivatives Q<k>, X<k> at a point of Q = UΛU†, U = (1 + iK)(1 − iK)^{-1}, K rational Hermitian.

    Q² = 1 holds to every order (U is unitary for every t); χ̂ derivatives are random rational diagonals.
    """
    import random

    rng = random.Random(seed)
    hermitian = [_gaussian_rational_matrix(rng, size, True) for _ in range(order + 1)]
    one, i_unit = DomainMatrix.eye(size, QQ_I), QQ_I(0, 1)
    iK = [h * i_unit for h in hermitian]
    inverse_minus = _series_inverse((one - iK[0]).inv(), [-x for x in iK[1:]], order)
    inverse_plus = _series_inverse((one + iK[0]).inv(), iK[1:], order)
    plus = [one + iK[0]] + iK[1:]
    minus = [one - iK[0]] + [-x for x in iK[1:]]
    signs = [QQ_I(1 if k < size // 2 else -1, 0) for k in range(size)]
    lam = DomainMatrix.diag(signs, QQ_I, (size, size))
    q_series = _series_product(plus, inverse_minus, [lam] + [lam * QQ_I(0, 0)] * order, inverse_plus, minus)
    jet = {f"Q{k}": q_series[k] * QQ_I(int(sympy.factorial(k)), 0) for k in range(order + 1)}
    for k in range(1, order + 1):
        diagonal = [QQ_I(rng.randint(-5, 5), 0) / rng.randint(1, 3) for _ in range(size)]
        jet[f"X{k}"] = DomainMatrix.diag(diagonal, QQ_I, (size, size))
    return jet


def evaluate_on_jet(traces: TracePoly, jet: dict[str, DomainMatrix]) -> sympy.Expr:
    """Exact value of a trace polynomial on an explicit jet (Tr 1 = the matrix size)."""
    size = next(iter(jet.values())).shape[0]
    total = QQ_I(0, 0)
    for word, coefficient in traces.items():
        product = DomainMatrix.eye(size, QQ_I)
        for name in word:
            product = product * jet[name]
        rows = product.to_list()
        total += QQ_I.from_sympy(sympy.sympify(coefficient)) * sum((rows[i][i] for i in range(size)), QQ_I(0, 0))
    return QQ_I.to_sympy(total)

"""The continuum limit of the granular sigma-model, Eqs. (15)-(17) of the granular paper, on any lattice of grains.

Steps in the order of the argument: the tunneling term of Eq. (11b) with the gauge undone; R^2 = 1 turns it
into a square of differences; its Taylor series in the contact vector with integration by parts; the
covariant derivative; the same series obtained directly from Eq. (11b) (checked on exact matrix jets);
the lattice sum and the counting of contacts (D = gamma g_T delta, Einstein relation); Eq. (15), (17), (16); the
fourth-order term; Tr Q constant in space; the soliton scale L_T.
"""
from __future__ import annotations

import sympy

from derive import claims
from derive import continuum as cn
from derive.derivations import Option
from derive.lattices import NAMED_LATTICES, a, b, contact_vectors, diffusion_tensor, fourth_order_tensor
from derive.lattices import lattice as named_lattice
from derive.lattices import volume_per_grain
from derive.pipeline import Argument, Constant, Derivation, Export, Step, Table
from derive.trln import Tr

TITLE = "Continuum limit of the granular sigma-model on any lattice (granular paper, Eqs. 15-17)"
PAPER = "granular"
JET_SEEDS = (1, 2, 3)
SERIES_ORDER = 8


def _parse_lattice(text: str) -> str:
    return named_lattice(text).name  # ValueError listing the names for an unknown one


OPTIONS = {"lattice": Option(flag="--lattice", help=f"lattice whose gamma is printed: {', '.join(NAMED_LATTICES)}", parse=_parse_lattice)}

g_T, delta, T, nu, e_charge = sympy.symbols("g_T delta T nu e", positive=True)
n = cn.n_dim
nc = {name: sympy.Symbol(latex, commutative=False) for name, latex in {
    "Ql": "Q_{l}", "Qp": "Q_{l'}", "El": r"e^{i\hat\chi_{l}}", "Fl": r"e^{-i\hat\chi_{l}}", "Ep": r"e^{i\hat\chi_{l'}}",
    "Fp": r"e^{-i\hat\chi_{l'}}", "R0": "R_{l}", "Rp": "R_{l'}", "Q0": "Q", "Q1": r"\partial Q", "Q2": r"\partial^{2} Q",
    "X1": r"\partial\hat\chi", "X2": r"\partial^{2}\hat\chi", "E": r"e^{i\hat\chi}", "F": r"e^{-i\hat\chi}",
    **{f"R{k}": rf"\partial^{{{k}}} R" for k in range(1, 5)},
    **{f"C{k}": rf"\tilde\partial^{{{k}}} Q" for k in range(1, 5)},
}.items()}


def word(*letters: str) -> cn.Poly:
    return cn.mul(*(cn.letter(x) for x in letters))


def difference(traces_a: cn.TracePoly, traces_b: cn.TracePoly) -> cn.TracePoly:
    return cn.add(traces_a, cn.scale(traces_b, -1))


def zero_poly(statement: str, build, method: str) -> claims.Claim:
    """A claim that a free-algebra polynomial (built lazily) vanishes identically."""
    return claims.holds(statement, lambda: None if not build() else f"residual = {build()}", method)


# --- Eq. (11b): the tunneling term with the gauge undone -------------------------------------------


def step_gauge() -> Step:
    lattice_term = cn.trace(word("El", "Fp", "Ql", "Fl", "Ep", "Qp"))  # e^{i chi-hat_{ll'}} = e^{i chi-hat_l} e^{-i chi-hat_{l'}}
    undone = cn.trace(word("El", "Ql", "Fl", "Ep", "Qp", "Fp"))  # Tr[R_l R_{l'}], R = e^{i chi-hat} Q e^{-i chi-hat}
    return Step(
        id="eq11b-gauge-undone",
        title="The tunneling term in terms of R = e^{i chi-hat} Q e^{-i chi-hat}",
        paper=PAPER, equation="(11b)",
        result=sympy.Eq(Tr(nc["El"], nc["Fp"], nc["Ql"], nc["Fl"], nc["Ep"], nc["Qp"]), Tr(nc["R0"], nc["Rp"])),
        claims=(zero_poly("Tr[e^{i chi-hat_{ll'}} Q_l e^{-i chi-hat_{ll'}} Q_l'] = Tr[R_l R_l'] (chi-hat diagonal, trace cyclic)",
                          lambda: difference(lattice_term, undone), "symbolic: free algebra, canonical cyclic traces"),),
        note="chi-hat_{ll'} = chi-hat_l - chi-hat_{l'} is diagonal, so e^{i chi-hat_{ll'}} = e^{i chi-hat_l}e^{-i chi-hat_{l'}}: the term only sees R = e^{i chi-hat}Qe^{-i chi-hat} (Eq. 5a undone).",
    )


def step_square() -> Step:
    def residual():
        diff = cn.add(cn.letter("Rp"), cn.letter("R0", -1))
        rhs = cn.add({(): sympy.Integer(1)}, cn.scale(cn.trace(cn.mul(diff, diff)), sympy.Rational(-1, 2)))
        return difference(cn.reduce_involutions(cn.trace(word("R0", "Rp"))), cn.reduce_involutions(rhs))

    jump = sympy.Symbol(r"\left(R_{l'} - R_{l}\right)", commutative=False)
    shown = sympy.Eq(Tr(nc["R0"], nc["Rp"]), n - sympy.Rational(1, 2) * Tr(jump, jump))
    return Step(
        id="unit-square", title="R^2 = 1 turns the term into a square of differences", paper=PAPER, equation="(11b)",
        result=shown,
        claims=(zero_poly("Tr[R_l R_l'] = n - 1/2 Tr[(R_l' - R_l)^2] given R_l^2 = R_l'^2 = 1", residual,
                          "symbolic: free algebra with R^2 -> 1 inside cyclic traces"),),
        note="Exact, no expansion yet: -(g_T/8)Tr[R_l R_l'] = -(g_T/8)n + (g_T/16)Tr[(R_l' - R_l)^2]; the constant is dropped.",
    )


# --- Taylor series in the contact vector, integration by parts, covariant derivative ---------------


def _series_claims() -> tuple[claims.Claim, ...]:
    series = cn.difference_square_series(SERIES_ORDER)
    result = []
    for order in range(2, SERIES_ORDER + 1):
        def residual(order=order):
            reduced, certificate = cn.integrate_by_parts(series[order])
            exact = difference(series[order], cn.add(reduced, cn.trace_derivative(certificate)))
            m = order // 2
            expected = {} if order % 2 else {(f"R{m}", f"R{m}"): cn.gradient_series_coefficient(m)}
            return cn.add(exact, difference(reduced, expected))
        parity = "a total derivative" if order % 2 else f"~= c_{order // 2} Tr[(d^{order // 2}R)^2]"
        result.append(zero_poly(f"order e^{order} of Tr[(R(r+e) - R(r))^2] is {parity}", residual,
                                "symbolic: the order equals reduced + d(certificate), checked by the Leibniz rule"))
    return tuple(result)


def step_series() -> Step:
    shown = sympy.Eq(sympy.Symbol(r"\operatorname{Tr}\left[(R(r+e)-R(r))^{2}\right]"),
                     sum(cn.gradient_series_coefficient(k) * Tr(nc[f"R{k}"], nc[f"R{k}"]) for k in range(1, 5))
                     + sympy.Order(sympy.Symbol("e") ** 10))
    return Step(
        id="gradient-series", title="Taylor series in the contact vector, integrated by parts", paper=PAPER, equation="(15)",
        result=shown, claims=_series_claims(),
        note=f"d = e.grad; odd orders are total derivatives, even ones reduce to c_m Tr[(d^m R)^2], c_m = 2(-1)^(m+1)/(2m)! (checked through e^{SERIES_ORDER}).",
    )


def step_covariant() -> Step:
    def residual(m):
        lhs = cn.power_of(cn.differentiate, word("E", "Q0", "F"), m)
        return cn.add(lhs, cn.scale(cn.mul(cn.letter("E"), cn.power_of(cn.covariant_derivative, cn.letter("Q0"), m), cn.letter("F")), -1))

    def traces_residual():
        first = cn.mul(cn.letter("E"), cn.covariant_derivative(cn.letter("Q0")), cn.letter("F"))
        return difference(cn.trace(cn.mul(first, first)), cn.trace(cn.mul(*[cn.covariant_derivative(cn.letter("Q0"))] * 2)))

    covariant = nc["Q1"] + sympy.I * (nc["X1"] * nc["Q0"] - nc["Q0"] * nc["X1"])
    return Step(
        id="covariant-derivative", title="dR = e^{i chi-hat}(d~Q)e^{-i chi-hat}: the covariant derivative", paper=PAPER, equation="(15)",
        result=sympy.Eq(sympy.Symbol(r"\tilde\partial Q", commutative=False), covariant),
        claims=tuple(zero_poly(f"d^{m}(e^{{i chi-hat}} Q e^{{-i chi-hat}}) = e^{{i chi-hat}} d~^{m}Q e^{{-i chi-hat}}", lambda m=m: residual(m),
                               "symbolic: Leibniz rule with de^{i chi-hat} = idchi-hat e^{i chi-hat}") for m in range(1, 5))
        + (zero_poly("Tr[(dR)^2] = Tr[(d~Q)^2]", traces_residual, "symbolic: free algebra, e^{-i chi-hat}e^{i chi-hat} = 1"),),
        note="From Eq. (11b) as printed d~Q = grad Q + i[grad chi-hat, Q]; Eq. (15) prints grad Q - i[grad chi-hat, Q], which is chi-hat -> -chi-hat (see notes/continuum.md).",
    )


def step_direct() -> Step:
    def check():
        direct, covariant = cn.tunneling_trace_series(4), cn.covariant_trace_series(4)
        for seed in JET_SEEDS:
            jet = cn.exact_jet(seed, size=4, order=4)
            for k in range(5):
                expected = 4 if k == 0 else cn.evaluate_on_jet(covariant[k], jet)
                value = sympy.expand(cn.evaluate_on_jet(direct[k], jet) - expected)
                if value != 0:
                    return f"jet {seed}, order e^{k}: residual {value}"
        return None

    return Step(
        id="direct-expansion", title="The same series directly in grad Q and grad chi-hat, using Q^2 = 1", paper=PAPER, equation="(11b)",
        result=sympy.Eq(Tr(nc["El"], nc["Fp"], nc["Ql"], nc["Fl"], nc["Ep"], nc["Qp"]),
                        n - sympy.Rational(1, 2) * Tr(nc["C1"], nc["C1"]) - sympy.Rational(1, 2) * Tr(nc["C1"], nc["C2"])
                        - sympy.Rational(1, 8) * Tr(nc["C2"], nc["C2"]) - sympy.Rational(1, 6) * Tr(nc["C1"], nc["C3"])
                        + sympy.Order(sympy.Symbol("e") ** 5)),
        claims=(claims.holds("each order e^0..e^4 of Eq. (11b)'s trace equals n - 1/2 sum_{i+j=k} Tr[d~^iQ d~^jQ]/(i!j!)", check,
                             f"exact evaluation on {len(JET_SEEDS)} seeded 4x4 jets of Q = U Lambda U^dag (Q^2 = 1 to all orders)"),),
        note="Pointwise, before integration by parts: the direct expansion in Q_l, Q_{l+e}, chi-hat needs Q^2 = 1 (e.g. Tr[Q d^2 Q] = -Tr[(dQ)^2]).",
    )


# --- the lattice sum: D = gamma g_T delta, and the Einstein relation fixes the counting of contacts --------


def _matching_residual(name: str):
    """(g_T/16)/V_cell * sum_contacts Delta Delta^T = pi nu D/4 with nu = m/(delta V_cell), solved for D, against gamma g_T delta."""
    vectors, grains = contact_vectors(NAMED_LATTICES[name])
    cell = volume_per_grain(name) * grains
    per_volume = sum((v * v.T for v in vectors), sympy.zeros(vectors[0].rows)) * g_T / (16 * cell)
    density_of_states = grains / (delta * cell)
    D = per_volume * 4 / (sympy.pi * density_of_states)
    return lambda: D, lambda: diffusion_tensor(name) * g_T * delta


def _einstein_sides(name: str):
    """2 e^2 nu D against the network's sigma = G_T sum_contacts Delta Delta^T / V_cell, G_T = g_T e^2/(2pi) (no sublattice relaxation)."""
    vectors, grains = contact_vectors(NAMED_LATTICES[name])
    cell = volume_per_grain(name) * grains
    network = sum((v * v.T for v in vectors), sympy.zeros(vectors[0].rows)) * g_T * e_charge**2 / (2 * sympy.pi * cell)
    einstein = 2 * e_charge**2 * (1 / (delta * volume_per_grain(name))) * diffusion_tensor(name) * g_T * delta
    return lambda: einstein, lambda: network


def _tensor_exports(name: str) -> tuple[Export, ...]:
    arguments = (Argument("a", a, description="contact (nearest-neighbour) distance"),)
    if diffusion_tensor(name).has(b):
        arguments += (Argument("b", b, description="second side of the rectangle"),)
    d = NAMED_LATTICES[name].dimension
    gamma4 = fourth_order_tensor(name)
    flat = sympy.ImmutableMatrix(d * d, d * d, lambda i, j: gamma4[i // d, i % d, j // d, j % d])
    return (
        Export(f"diffusion_tensor_{name}", sympy.ImmutableMatrix(diffusion_tensor(name)), arguments,
               f"gamma of the {name} lattice: D_{{mu nu}} = gamma_{{mu nu}} g_T delta (hbar = 1, each contact counted once)."),
        Export(f"fourth_order_tensor_{name}", flat, arguments,
               f"gamma^(4) of the {name} lattice as a (d^2, d^2) array; reshape to (d, d, d, d)."),
        Export(f"volume_per_grain_{name}", volume_per_grain(name), arguments,
               f"Volume per grain of the {name} lattice: nu = 1/(delta * this)."),
    )


def step_counting() -> Step:
    checks = []
    for name in NAMED_LATTICES:
        lhs, rhs = _matching_residual(name)
        checks.append(claims.equal(f"{name}: matching the lattice sum to pi nu D/4 gives D = gamma g_T delta", lhs, rhs, method="simplify"))
        lhs, rhs = _einstein_sides(name)
        checks.append(claims.equal(f"{name}: 2 e^2 nu D = network conductivity with G_T = g_T e^2/(2pi)", lhs, rhs, method="simplify"))
    return Step(
        id="contact-counting", title="The lattice sum: D = gamma g_T delta, each contact counted once", paper=PAPER, equation="(15)",
        result=sympy.Eq(sympy.Symbol(r"\gamma_{\mu\nu}"), sympy.Symbol(r"\frac{1}{4\pi m}\sum_{c} \Delta^{c}_{\mu}\Delta^{c}_{\nu}")),
        claims=tuple(checks),
        exports=tuple(e for name in NAMED_LATTICES for e in _tensor_exports(name)),
        note="sum_{ll'} of Eq. (11b) counts each contact once; ordered pairs would double D and break sigma = 2 e^2 nu D "
             "(Kirchhoff solves in tests/test_continuum.py, incl. random anisotropic and relaxing lattices).",
    )


# --- Eq. (15), (17), (16) ---------------------------------------------------------------------------


def _symbols_for(d: int, second: bool) -> dict[str, sympy.Basic]:
    symbols: dict[str, sympy.Basic] = {"Q0": sympy.MatrixSymbol("Q", n, n)}
    for m in range(d):
        symbols[f"Q1_{m}"] = sympy.MatrixSymbol(f"dQ_{m}", n, n)
        symbols[f"X1_{m}"] = cn.DiagonalMatrix(sympy.MatrixSymbol(f"dchi_{m}", n, 1))
    if second:
        for m, k in cn.index_pairs(d):
            symbols[f"Q2_{m}{k}"] = sympy.MatrixSymbol(f"ddQ_{m}{k}", n, n)
            symbols[f"X2_{m}{k}"] = cn.DiagonalMatrix(sympy.MatrixSymbol(f"ddchi_{m}{k}", n, 1))
    return symbols


def _poly_matrix(poly: cn.Poly, symbols: dict[str, sympy.Basic]) -> sympy.MatrixExpr:
    terms = []
    for w, c in sorted(poly.items()):
        factors = [symbols[x] for x in w]
        terms.append(c * (factors[0] if len(factors) == 1 else sympy.MatMul(*factors, evaluate=False)))
    return sympy.MatAdd(*terms, evaluate=False)


def gradient_density(d: int) -> sympy.Expr:
    """pi g_T/(4v) sum_{mu nu} gamma_{mu nu} Tr[d~_mu Q d~_nu Q]: the gradient term of Eq. (15) as canonical traces."""
    first, symbols = cn.covariant_components(1, d), _symbols_for(d, second=False)
    gamma, volume = sympy.MatrixSymbol("gamma", d, d), sympy.Symbol("volume", positive=True)
    total = sympy.Integer(0)
    for m, k in cn.index_pairs(d):
        weight = 1 if m == k else 2
        traces = cn.reduce_involutions(cn.trace(cn.mul(first[(m,)], first[(k,)])), ("Q0",))  # Q^2 = 1
        total += weight * gamma[m, k] * cn.to_matrix_expression(traces, symbols)
    return sympy.pi * g_T / (4 * volume) * total


def fourth_order_density(d: int) -> sympy.Expr:
    """-pi g_T/(4v) sum gamma^(4)_{mu nu rho sigma} Tr[d~_mu d~_nu Q d~_rho d~_sigma Q], gamma^(4) totally symmetric, passed as (d^2, d^2)."""
    second, symbols = cn.covariant_components(2, d), _symbols_for(d, second=True)
    gamma4, volume = sympy.MatrixSymbol("gamma4", d * d, d * d), sympy.Symbol("volume", positive=True)
    pairs = cn.index_pairs(d)
    total = sympy.Integer(0)
    for i, (m, k) in enumerate(pairs):
        for j, (r, s) in enumerate(pairs[i:], start=i):
            weight = (1 if m == k else 2) * (1 if r == s else 2) * (1 if i == j else 2)
            product = sympy.MatMul(_poly_matrix(second[(m, k)], symbols), _poly_matrix(second[(r, s)], symbols), evaluate=False)
            total += weight * gamma4[m * d + k, r * d + s] * sympy.Trace(product)
    return -sympy.pi * g_T / (4 * volume) * total


def _density_arguments(d: int, second: bool) -> tuple[Argument, ...]:
    symbols = _symbols_for(d, second)
    arguments = [
        Argument("Q", symbols["Q0"], description="Q, shape (..., n, n)"),
        Argument("dQ", tuple(symbols[f"Q1_{m}"] for m in range(d)), description=f"d_mu Q stacked on axis 0: ({d}, ..., n, n)"),
    ]
    if second:
        arguments.append(Argument("ddQ", tuple(symbols[f"Q2_{m}{k}"] for m, k in cn.index_pairs(d)),
                                  description=f"d_mu d_nu Q for (mu,nu) in INDEX_PAIRS[{d}], axis 0"))
    arguments.append(Argument("dchi", tuple(symbols[f"X1_{m}"].args[0] for m in range(d)),
                              description=f"d_mu chi (the diagonal of grad chi-hat), ({d}, ..., n)"))
    if second:
        arguments.append(Argument("ddchi", tuple(symbols[f"X2_{m}{k}"].args[0] for m, k in cn.index_pairs(d)),
                                  description=f"d_mu d_nu chi for (mu,nu) in INDEX_PAIRS[{d}], axis 0"))
    tensor = ("gamma4", sympy.MatrixSymbol("gamma4", d * d, d * d), "gamma^(4) as (d^2, d^2)") if second else (
        "gamma", sympy.MatrixSymbol("gamma", d, d), "gamma as (d, d)")
    arguments.append(Argument(tensor[0], tensor[1], description=tensor[2]))
    arguments.append(Argument("g_T", g_T))
    arguments.append(Argument("volume", sympy.Symbol("volume", positive=True), description="volume per grain"))
    return tuple(arguments)


def step_eq15() -> Step:
    N, mu, volume = sympy.symbols("N mu v", positive=True)
    tr_eps_q = sympy.Symbol(r"\operatorname{Tr}[\hat\varepsilon Q]")
    j = sympy.Symbol("j", integer=True)
    mu_j = sympy.Indexed(sympy.IndexedBase(r"\mu"), j)
    gradient = sympy.Symbol(r"\frac{D_{\mu\nu}}{4}\operatorname{Tr}[\tilde\partial_{\mu}Q\,\tilde\partial_{\nu}Q]")
    result = sympy.Eq(sympy.Symbol("F_d"), sympy.pi * nu * sympy.Integral(
        sympy.Sum(mu_j**2, (j, 1, sympy.Symbol(r"\alpha"))) / (sympy.pi * T) - tr_eps_q + gradient, sympy.Symbol(r"\mathbf{r}")))
    return Step(
        id="eq15-continuum-action", title="The continuum action F_d", paper=PAPER, equation="(15)", result=result,
        claims=(
            claims.equal("per grain pi/delta = pi nu*v with nu = 1/(delta v): -(pi/delta)sum_l Tr[eps-hatQ_l] -> -pi nuint Tr[eps-hatQ]",
                         sympy.pi / delta, sympy.pi * (1 / (delta * volume)) * volume),
            claims.equal("(delta/4T) N^2 per grain = pi nu v mu^2/(piT) with mu = deltaN/2",
                         delta / (4 * T) * N**2, (sympy.pi / (delta * volume)) * volume * (delta * N / 2) ** 2 / (sympy.pi * T)),
        ),
        exports=tuple(
            Export(f"gradient_action_density_d{d}", gradient_density(d), _density_arguments(d, second=False),
                   "Gradient term of Eq. (15) per unit volume: pi nu (D_{mu nu}/4) Tr[d~_mu Q d~_nu Q], d~Q = grad Q + i[grad chi-hat, Q], "
                   "with pi nu D/4 = pi gamma g_T/(4 volume).")
            for d in (1, 2, 3)),
        note="sum_l -> int dr/v. The tunneling term gives the gradient term (previous steps); the constant -(g_T/8)n per contact is dropped.",
    )


def _diffuson_sides():
    """Quadratic action of a plane-wave rotation Q = e^{iX}Λe^{−iX} of Eq. (15) against 2πν(Dq² + ε₁ − ε₂)|c|²."""
    c, cbar, q, r, s, D = sympy.symbols("c cbar q r s D")
    eps1, eps2 = sympy.symbols("epsilon_1 epsilon_2")
    X = sympy.Matrix([[0, s * c * sympy.exp(sympy.I * q * r)], [s * cbar * sympy.exp(-sympy.I * q * r), 0]])
    lam, energies = sympy.diag(1, -1), sympy.diag(eps1, eps2)
    rotated = lam + sympy.I * (X * lam - lam * X) - (X * (X * lam - lam * X) - (X * lam - lam * X) * X) / 2
    gradient = rotated.diff(r)
    density = sympy.pi * nu * (-(energies * rotated).trace() + D / 4 * (gradient * gradient).trace())
    quadratic = sympy.expand(density).coeff(s, 2)
    return (lambda: sympy.simplify(quadratic)), (lambda: 2 * sympy.pi * nu * (D * q**2 + eps1 - eps2) * c * cbar)


def step_diffuson() -> Step:
    lhs, rhs = _diffuson_sides()
    return Step(
        id="diffuson-pole", title="D in Eq. (15) is the diffusion constant: the diffuson pole", paper=PAPER, equation="(15)",
        result=sympy.Eq(sympy.Symbol(r"F^{(2)}_d"), sympy.Symbol(
            r"2\pi\nu\sum_{q}\left(Dq^{2}+\varepsilon_n-\varepsilon_m\right)|c_q|^{2}")),
        claims=(claims.equal("Q = e^{iX} Lambda e^{-iX}, X off-diagonal plane wave c e^{iqr}: the action is "
                             "2 pi nu (D q^2 + eps_n - eps_m)|c|^2 to second order", lhs, rhs),),
        note="eps_n > 0 > eps_m, so eps_n - eps_m = |omega|: the propagator 1/(Dq^2 + |omega|) has D as its diffusion "
             "constant, which is what the Einstein relation sigma = 2e^2 nu D compares with the network.",
    )


def step_eq17() -> Step:
    trace_qp, q_r, N = sympy.symbols(r"\operatorname{Tr}[Q\hat{P}_j] q_r N_{jr}")
    from_eq12 = -sympy.I * sympy.pi * T / delta * trace_qp - q_r
    mu = delta / 2 * from_eq12
    printed = -sympy.I * sympy.pi * T / 2 * trace_qp - delta / 2 * q_r
    return Step(
        id="eq17-chemical-potential", title="The local chemical-potential shift mu_jr", paper=PAPER, equation="(17)",
        result=sympy.Eq(sympy.Symbol(r"\mu_{jr}"), printed),
        claims=(claims.equal("mu = (delta/2) N with N of Eq. (12) gives Eq. (17)", mu, printed),),
        note="N_{jr} of Eq. (12) evaluated on the continuum field Q(r).",
    )


def step_eq16() -> Step:
    N1, N2 = sympy.symbols("N_{jr} N_{jr'}")
    mu1, mu2 = delta * N1 / 2, delta * N2 / 2
    return Step(
        id="eq16-coulomb", title="The Coulomb term F_C in the continuum", paper=PAPER, equation="(16)",
        result=sympy.Eq(sympy.Symbol("F_C"), sympy.Symbol(
            r"\int\frac{d\mathbf{r}\,d\mathbf{r}'}{v^{2}}\int_0^\beta d\tau\,\frac{C_{\mathbf{r}\mathbf{r}'}}{2e^{2}}"
            r"\sum_j\left(\dot\chi_{j\mathbf{r}}\dot\chi_{j\mathbf{r}'}-\mu_{j\mathbf{r}}\mu_{j\mathbf{r}'}\right)")),
        claims=(claims.equal("(delta^2/4) N_jr N_jr' = mu_jr mu_jr'", delta**2 / 4 * N1 * N2, mu1 * mu2),),
        note="Eq. (11c) with sum_l -> int dr/v; the paper's a^{2d} is v^2 for v = a^d (simple cubic); in general v = volume per grain.",
    )


# --- beyond Eq. (15): the a^4 term; Tr Q constant; the soliton scale --------------------------------


def _fourth_matching(name: str):
    """(g_T/16)(-1/12)/V_cell sum_contacts Delta(x)^4 = -(pi nu/4) D^(4), solved for D^(4), against gamma^(4) g_T delta."""
    vectors, grains = contact_vectors(NAMED_LATTICES[name])
    cell, d = volume_per_grain(name) * grains, vectors[0].rows
    density_of_states = grains / (delta * cell)
    coefficient = g_T * cn.gradient_series_coefficient(2) / (16 * cell) / (-sympy.pi * density_of_states / 4)
    expected = fourth_order_tensor(name)

    def residual():
        for index in sympy.utilities.iterables.product(range(d), repeat=4):
            value = coefficient * sum(sympy.Mul(*(v[i] for i in index)) for v in vectors) - expected[index] * g_T * delta
            if sympy.simplify(value) != 0:
                return f"component {index}: {value}"
        return None

    return residual


def step_fourth_order() -> Step:
    shown = sympy.Symbol(r"-\frac{\pi\nu}{4}D^{(4)}_{\mu\nu\rho\sigma}\operatorname{Tr}"
                         r"[\tilde\partial_{\mu}\tilde\partial_{\nu}Q\,\tilde\partial_{\rho}\tilde\partial_{\sigma}Q]")
    return Step(
        id="fourth-order", title="The next term: fourth order in gradients", paper=PAPER, equation="(15)",
        result=sympy.Eq(sympy.Symbol(r"F^{(4)}_d"), sympy.Integral(shown, sympy.Symbol(r"\mathbf{r}"))),
        claims=tuple(claims.holds(f"{name}: c_2 = -1/12 per contact gives D^(4) = gamma^(4) g_T delta", _fourth_matching(name),
                                  "symbolic: each component simplifies to zero") for name in NAMED_LATTICES),
        exports=tuple(
            Export(f"fourth_order_action_density_d{d}", fourth_order_density(d), _density_arguments(d, second=True),
                   "The a^4 gradient term per unit volume, -pi nu (D^(4)_{mu nu rho sigma}/4) Tr[d~_mu d~_nu Q d~_rho d~_sigma Q] (gamma^(4) totally "
                   "symmetric); add it to gradient_action_density_d* for the action through fourth order.")
            for d in (1, 2, 3)),
        note="From c_2 = -1/12 of step gradient-series. For the honeycomb it is the term on the ansatz Q_A = Q_B = Q(r); "
             "a sublattice (optical) relaxation could add to it and is not derived.",
    )


def step_trace_constant() -> Step:
    def local_identity():
        twice = cn.reduce_involutions(cn.trace(cn.mul(cn.letter("Q0"), cn.differentiate(word("Q0", "Q0")))))
        return difference(twice, cn.trace(cn.letter("Q1", 2)))

    def on_jets():
        for seed in JET_SEEDS:
            value = cn.evaluate_on_jet(cn.trace(cn.letter("Q1")), cn.exact_jet(seed, size=4, order=1))
            if value != 0:
                return f"jet {seed}: Tr dQ = {value}"
        return None

    return Step(
        id="trace-constant", title="Tr Q is constant in space", paper=PAPER, equation="(9)",
        result=sympy.Eq(Tr(nc["Q1"]), sympy.Rational(1, 2) * Tr(nc["Q0"], sympy.Symbol(r"\partial(Q^{2})", commutative=False))),
        claims=(
            zero_poly("2 Tr[dQ] = Tr[Q d(Q^2)] given Q^2 = 1, and d(Q^2) = d1 = 0", local_identity,
                      "symbolic: free algebra with Q^2 -> 1 inside cyclic traces"),
            zero_poly("Tr[d~Q] = Tr[dQ] (the commutator is traceless)",
                      lambda: difference(cn.trace(cn.covariant_derivative(cn.letter("Q0"))), cn.trace(cn.letter("Q1"))),
                      "symbolic: canonical cyclic traces"),
            claims.holds("Tr dQ = 0 on exact jets with Q^2 = 1", on_jets, f"exact evaluation on {len(JET_SEEDS)} jets"),
        ),
        note="Tr Q = 2W is an integer (Eq. 9) and a smooth Q has Tr grad Q = 0: W cannot change in the continuum; "
             "it is a global charge, and the thermodynamic limit takes traceless Q.",
    )


def step_soliton_scale() -> Step:
    L, Gamma, gamma_bar = sympy.symbols("L_T Gamma gamma", positive=True)
    D = gamma_bar * a**2 * g_T * delta
    balance = sympy.solve(sympy.Eq(D / L**2, T), L)  # pi nu D/4*Tr(grad Q)^2 ~ pi nu D/L^2 against pi nu Tr(eps-hatQ) ~ pi nu T per element
    scale = a * sympy.sqrt(gamma_bar * Gamma / T)
    isotropic = {name: sympy.sqrt(diffusion_tensor(name)[0, 0] / a**2) for name in NAMED_LATTICES if name != "rectangular"}
    return Step(
        id="soliton-scale", title="The soliton scale L_T ~ a sqrt(Gamma/T)", paper=PAPER, equation="(15)",
        result=sympy.Eq(L, scale),
        claims=(
            claims.equal("balancing D/L^2 against T gives L_T = a sqrt(gamma Gamma/T) with Gamma = g_T delta",
                         lambda: balance[0].subs(g_T, Gamma / delta), scale, method="simplify"),
            claims.holds("the lattice factor sqrt(gamma) is of order one for every named lattice",
                         lambda: None if all(0.1 < float(v) < 1 for v in isotropic.values()) else str(isotropic),
                         "numeric evaluation of sqrt(gamma/a^2)"),
        ),
        note="A scaling argument (Gamma ~ g_T delta up to a lattice factor): gradient term ~ pi nuD/L^2, eps-hat term ~ pi nuT; "
             "sqrt(gamma/a^2) = sqrt(z/(8 pi d)) in [0.24, 0.40] for the named lattices.",
    )


# --- the derivation ----------------------------------------------------------------------------------


def build(lattice: str = "square") -> Derivation:
    """The continuum derivation; ``lattice`` only chooses what ``describe`` prints (the output covers all lattices)."""
    _parse_lattice(lattice)
    steps = (step_gauge(), step_square(), step_series(), step_covariant(), step_direct(), step_counting(),
             step_eq15(), step_diffuson(), step_eq17(), step_eq16(), step_fourth_order(), step_trace_constant(), step_soliton_scale())
    names = list(NAMED_LATTICES)
    return Derivation(
        name="continuum", title=TITLE, paper=PAPER, steps=steps,
        constants=(Constant("INDEX_PAIRS", {d: cn.index_pairs(d) for d in (1, 2, 3)},
                            "INDEX_PAIRS[d][k] = (mu, nu), mu <= nu: the layout of ddQ and ddchi on axis 0"),
                   Constant("LATTICES", names, "the named lattices (a = contact distance)")),
        tables=(
            Table("DIFFUSION_TENSORS", tuple((name, f"diffusion_tensor_{name}") for name in names), "gamma by lattice name"),
            Table("FOURTH_ORDER_TENSORS", tuple((name, f"fourth_order_tensor_{name}") for name in names), "gamma^(4) (d^2, d^2) by lattice name"),
            Table("VOLUMES_PER_GRAIN", tuple((name, f"volume_per_grain_{name}") for name in names), "volume per grain by lattice name"),
        ),
        summary="The tunneling term of Eq. (11b) expanded in gradients: D = gamma g_T delta with gamma = sum_contacts DeltaDelta^T/(4pi m), "
                "each contact counted once (Einstein relation); the fourth-order term; Eqs. (15)-(17).",
    )


def describe(lattice: str = "square") -> str:
    """The text `derive run continuum --lattice NAME` prints: the lattice, its gamma and D."""
    structure = named_lattice(lattice)
    gamma = diffusion_tensor(structure)
    lines = [
        f"lattice {structure.name}: a = contact distance, {structure.grains_per_cell} grain(s) per cell, "
        f"volume per grain v = {sympy.sstr(volume_per_grain(structure))}",
        "neighbour vectors: " + "; ".join(
            f"sublattice {s}: {[tuple(v) for v in structure.neighbours_of(s)]}" for s in range(structure.grains_per_cell)),
        f"gamma (D_mu_nu = gamma_mu_nu g_T delta, hbar = 1) = {sympy.sstr(gamma.tolist())}",
        f"D = {sympy.sstr(gamma[0, 0] / a**2)} * g_T delta a^2" if gamma.is_diagonal() and len(set(gamma.diagonal())) == 1
        else "D is anisotropic: see gamma",
        "nu = 1/(delta v); sigma = 2 e^2 nu D (Einstein relation, each contact counted once)",
    ]
    return "\n".join(lines)

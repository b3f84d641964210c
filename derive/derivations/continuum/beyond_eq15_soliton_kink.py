"""Beyond Eq. (15): the soliton between two minima of equal W, its width and action from Eqs. (15) and (17).

Two replicas; the minima (w_1, w_2) = (1, 0) and (0, 1) of Eq. (9) have the same W and differ only at
eps_0 = pi T, in replicas 1 and 2. The rotation Q(theta) = Lambda' + [-cos(theta) tau_z + sin(theta) tau_x - (-tau_z)]
in that (replica 1, n = 0) x (replica 2, n = 0) block (both spins) joins them. On it Tr[eps Q] is constant,
the mu^2 term of Eq. (15) with mu = delta N/2 of Eq. (17) is 2 pi^2 T nu sin^2(theta) + const per volume, and
the gradient term is pi nu D theta'^2: a sine-Gordon kink theta = 2 arctan(e^{x/xi}) with xi = sqrt(D/(2 pi T))
and action 4 pi nu sqrt(2 pi T D) per unit area of the wall. L_T = sqrt(D/T) = sqrt(2 pi) xi.
"""
from __future__ import annotations

import sympy
from sympy import I, Symbol, pi

from derive.derivations.continuum.notation import T, delta, nu
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Argument, Export, Step

D, x = Symbol("D", positive=True), Symbol("x", real=True)
angle = Symbol("vartheta", real=True)  # the angle as integration variable; theta(x) is the field of the kink
SPIN = 2


def rotation_block(angle: sympy.Expr) -> sympy.Matrix:
    """Q in the (replica 1, n = 0), (replica 2, n = 0) block: -cos tau_z + sin tau_x (theta = 0: w = (1, 0))."""
    return sympy.Matrix([[-sympy.cos(angle), sympy.sin(angle)], [sympy.sin(angle), sympy.cos(angle)]])


def _reduced_densities() -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    """(eps term, mu^2 term, gradient term) of Eq. (15) per volume on Q(theta(x)), spin included."""
    th = sympy.Function("theta")(x)
    block = rotation_block(th)
    eps_0 = pi * T
    # the trace kept unevaluated: the claim shows it and its value does not depend on theta
    eps_term = -SPIN * pi * nu * sympy.Trace(sympy.MatMul(eps_0 * sympy.ImmutableMatrix(sympy.eye(2)), sympy.ImmutableMatrix(block),
                                                          evaluate=False))
    # Tr[Q P_j]: the block's diagonal entry j (x 2 spins) plus the rest of the minimum, -4 w_j at theta = 0 minus
    # the block's value there: replica 1 has -4 + 2(1 - cos), replica 2 has 0 - 2(1 - cos)
    traces = [SPIN * block[0, 0] - 4 - SPIN * (-1), SPIN * block[1, 1] - SPIN * 1]
    mu = [delta / 2 * (-I * pi * T / delta * tr) for tr in traces]  # Eq. (17) at q = 0
    mu_term = pi * nu * sum(m**2 for m in mu) / (pi * T)
    derivative = block.diff(x)
    gradient = pi * nu * D / 4 * SPIN * (derivative * derivative).trace()
    return eps_term, mu_term, gradient


def soliton_width_expr() -> sympy.Expr:
    """xi = sqrt(D/(2 pi T)): the kink theta = 2 arctan(e^{x/xi})."""
    return sympy.sqrt(D / (2 * pi * T))


def soliton_action_expr() -> sympy.Expr:
    """4 pi nu sqrt(2 pi T D): the kink's action per unit area of the wall (per grain row on a chain: times a^{d-1})."""
    return 4 * pi * nu * sympy.sqrt(2 * pi * T * D)


def beyond_eq15_soliton_kink() -> Step:
    """The kink between the minima (1, 0) and (0, 1): width and action from Eqs. (15), (17); exports."""
    th = sympy.Function("theta")(x)
    K, A = pi * nu * D, 2 * pi**2 * T * nu
    xi = soliton_width_expr()
    eps_term, mu_term, gradient_term = _reduced_densities()
    action = 2 * A * sympy.Integral(sympy.sin(angle) * xi, (angle, 0, pi))
    width = Symbol(r"\xi", positive=True)
    shown_kink = 2 * sympy.atan(sympy.exp(x / width))
    kink_equation = sympy.Eq(K * sympy.Derivative(shown_kink, x) ** 2, A * sympy.sin(shown_kink) ** 2, evaluate=False)

    return Step(
        **OUTLINE.header("soliton-kink"),
        result=sympy.Eq(width, xi),
        claims=(
            claims.equal(r"On $Q(\theta)$ the $\hat\varepsilon$ term of Eq. (15) does not depend on $\theta$: both entries of "
                         r"the block sit at $\varepsilon_0 = \pi T$ (two spins)", lambda: sympy.simplify(eps_term.doit()), 0,
                         method="simplify", formula=sympy.Eq(eps_term, 0, evaluate=False)),
            claims.equal(r"The $\mu^{2}$ term with $\mu_{j} = (\delta/2)N_{j}$ of Eq. (17) is",
                         lambda: sympy.simplify(mu_term), A * sympy.sin(th) ** 2 - 4 * pi**2 * T * nu, method="simplify",
                         formula=sympy.Eq(mu_term, A * sympy.sin(th) ** 2 - 4 * pi**2 * T * nu, evaluate=False)),
            claims.equal(r"The gradient term $\pi\nu\frac{D}{4}\operatorname{Tr}(\nabla Q)^{2}$ is",
                         lambda: sympy.simplify(gradient_term), K * sympy.diff(th, x) ** 2, method="simplify",
                         formula=sympy.Eq(gradient_term, K * sympy.diff(th, x) ** 2, evaluate=False)),
            claims.equal(r"The kink $\theta = 2\arctan e^{x/\xi}$ solves the first integral $K\theta'^{2} = A\sin^{2}\theta$ "
                         r"with $K = \pi\nu D$, $A = 2\pi^{2}T\nu$ and $\xi = \sqrt{K/A}$",
                         lambda: sympy.simplify((kink_equation.lhs - kink_equation.rhs).doit().subs(width, xi).rewrite(sympy.exp)), 0,
                         method="simplify", formula=kink_equation),
            claims.equal(r"Its action $\int (K\theta'^{2} + A\sin^{2}\theta)\,dx = 2\int A\sin^{2}\theta\,dx$, with "
                         r"$dx = \xi\,d\vartheta/\sin\vartheta$ with $\vartheta = \theta(x)$ on the kink, is $4\sqrt{AK}$",
                         lambda: sympy.simplify(action.doit()), soliton_action_expr(), method="simplify",
                         formula=sympy.Eq(action, soliton_action_expr(), evaluate=False)),
            claims.equal(r"The scaling length $\sqrt{D/T}$ of the soliton-scale step is $\sqrt{2\pi}\,\xi$",
                         sympy.sqrt(D / T), (sympy.sqrt(2 * pi) * width).subs(width, xi), method="simplify",
                         formula=sympy.Eq(sympy.sqrt(D / T), sympy.sqrt(2 * pi) * width, evaluate=False)),
        ),
        exports=(
            Export("soliton_width", soliton_width_expr(), (Argument("D", D, description="diffusion constant gamma g_T delta"),
                                                           Argument("T", T)),
                   "xi = sqrt(D/(2 pi T)): width of the kink theta = 2 arctan(e^{x/xi}) between the minima (1, 0), (0, 1)."),
            Export("soliton_action", soliton_action_expr(), (Argument("D", D, description="diffusion constant gamma g_T delta"),
                                                             Argument("T", T), Argument("nu", nu, description="density of states per spin and volume, 1/(delta v)")),
                   "4 pi nu sqrt(2 pi T D): the kink's action per unit area of the wall (chain: nu = 1/(delta a), 2 pi sqrt(2 g_T T/delta))."),
        ),
        note=r"Two replicas; the minima $(w_1, w_2) = (1, 0)$ and $(0, 1)$ of Eq. (9) have the same $W$ and differ only at "
             r"$\varepsilon_0 = \pi T$. The one-angle rotation $Q(\theta)$, $-\cos\theta\,\tau_z + \sin\theta\,\tau_x$ in the "
             r"block of replicas 1 and 2 at $n = 0$, is the ansatz: the minimal rotation joining the two minima. The lattice "
             r"action (11b) on it is $\sum_{l} (2\pi^{2}T/\delta)\sin^{2}\theta_{l} + (g_T/2)(1 - \cos(\theta_{l'} - \theta_{l}))$; "
             r"minimised numerically on a chain and a square lattice, it reproduces the width $\xi$ and the action "
             r"$4\sqrt{AK}$.",
    )

"""Beyond Eq. (15): a Bogomolny bound for the kink, over rotations whose angle may differ between the spins.

The kink step rotates both spins by one angle. Let each spin s have its own angle theta_s(x) in the block of
(replica 1, n = 0), (replica 2, n = 0). From Eqs. (15), (17) the density is (K/2) sum_s theta_s'^2 + A[1 - (cos
theta_up + cos theta_down)^2/4] (minus a constant), K = pi nu D, A = 2 pi^2 T nu. With Phi = -sqrt(AK)(cos theta_up +
cos theta_down) it is a sum of two squares, (A/4)(cos theta_up - cos theta_down)^2 >= 0 and d Phi/dx: the action of
any such path from (0, 0) to (pi, pi) is at least Phi(pi, pi) - Phi(0, 0) = 4 sqrt(AK), the kink's action, with equality
only for theta_up = theta_down solving theta' = sin(theta)/xi, i.e. the one-angle kink.
"""
from __future__ import annotations

import sympy
from sympy import I, Symbol, pi

from derive.derivations.continuum.beyond_eq15_soliton_kink import D, rotation_block, soliton_action_expr, x
from derive.derivations.continuum.notation import T, delta, nu
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Step

K, A = pi * nu * D, 2 * pi**2 * T * nu
theta_up, theta_down = sympy.Function(r"\theta_\uparrow")(x), sympy.Function(r"\theta_\downarrow")(x)
a_up, a_down = Symbol(r"\vartheta_\uparrow", real=True), Symbol(r"\vartheta_\downarrow", real=True)


def spin_resolved_densities() -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    """(eps term, mu^2 term, gradient term) of Eq. (15) per volume, the block rotated by theta_s in spin s."""
    blocks = [rotation_block(angle) for angle in (theta_up, theta_down)]
    # the traces kept unevaluated: the claim shows them, and their value does not depend on the angles
    eps_term = -pi * nu * sum(sympy.Trace(sympy.MatMul(pi * T * sympy.ImmutableMatrix(sympy.eye(2)), sympy.ImmutableMatrix(block),
                                                       evaluate=False)) for block in blocks)
    # Tr[Q P_j]: the blocks' diagonal entries plus the rest of the minimum (1, 0), as in the kink step
    traces = [sum(block[0, 0] for block in blocks) - 4 + 2, sum(block[1, 1] for block in blocks) - 2]
    mu = [delta / 2 * (-I * pi * T / delta * trace) for trace in traces]  # Eq. (17) at q = 0
    mu_term = pi * nu * sum(m**2 for m in mu) / (pi * T)
    gradient = pi * nu * D / 4 * sum((block.diff(x) * block.diff(x)).trace() for block in blocks)
    return eps_term, mu_term, gradient


def potential(up: sympy.Expr, down: sympy.Expr) -> sympy.Expr:
    """A[1 - (cos up + cos down)^2/4]: the mu^2 term above its value at the minimum."""
    return A * (1 - (sympy.cos(up) + sympy.cos(down)) ** 2 / 4)


def bogomolny_potential() -> sympy.Expr:
    """Phi = -sqrt(AK)(cos theta_up + cos theta_down)."""
    return -sympy.sqrt(A * K) * (sympy.cos(theta_up) + sympy.cos(theta_down))


def completed_squares() -> sympy.Expr:
    """(K/2) sum_s (theta_s' - sqrt(A/K) sin theta_s)^2 + (A/4)(cos theta_up - cos theta_down)^2 + d Phi/dx."""
    squares = sum(K / 2 * (sympy.diff(angle, x) - sympy.sqrt(A / K) * sympy.sin(angle)) ** 2 for angle in (theta_up, theta_down))
    return squares + A / 4 * (sympy.cos(theta_up) - sympy.cos(theta_down)) ** 2 + sympy.diff(bogomolny_potential(), x)


def density() -> sympy.Expr:
    """(K/2) sum_s theta_s'^2 + A[1 - (cos theta_up + cos theta_down)^2/4]."""
    return K / 2 * (sympy.diff(theta_up, x) ** 2 + sympy.diff(theta_down, x) ** 2) + potential(theta_up, theta_down)


def beyond_eq15_soliton_bound() -> Step:
    """Action >= 4 sqrt(AK) for every spin-resolved rotation between the minima (1, 0) and (0, 1)."""
    eps_term, mu_term, gradient_term = spin_resolved_densities()
    phi_of = -sympy.sqrt(A * K) * (sympy.cos(a_up) + sympy.cos(a_down))
    topological = phi_of.subs({a_up: pi, a_down: pi}) - phi_of.subs({a_up: 0, a_down: 0})
    width = Symbol(r"\xi", positive=True)
    kink = 2 * sympy.atan(sympy.exp(x / width))
    first_order = sympy.Eq(sympy.Derivative(kink, x), sympy.sin(kink) / width, evaluate=False)
    return Step(
        **OUTLINE.header("soliton-bound"),
        result=sympy.GreaterThan(Symbol("S"), soliton_action_expr(), evaluate=False),
        claims=(
            claims.equal(r"With an angle $\theta_s$ for each spin the $\hat\varepsilon$ term of Eq. (15) still vanishes",
                         lambda: sympy.simplify(eps_term.doit()), 0, method="simplify", formula=sympy.Eq(eps_term, 0, evaluate=False)),
            claims.equal(r"and the $\mu^2$ term with $\mu_j = (\delta/2)N_j$ of Eq. (17) is "
                         r"$A[1 - (\cos\theta_\uparrow + \cos\theta_\downarrow)^2/4] - 2A$, $A = 2\pi^2 T\nu$",
                         lambda: sympy.expand(mu_term), lambda: sympy.expand(potential(theta_up, theta_down) - 2 * A),
                         method="simplify",
                         formula=sympy.Eq(potential(theta_up, theta_down) - 2 * A, mu_term, evaluate=False)),
            claims.equal(r"the gradient term is $(K/2)(\theta_\uparrow'^2 + \theta_\downarrow'^2)$, $K = \pi\nu D$",
                         lambda: sympy.simplify(gradient_term),
                         lambda: K / 2 * (sympy.diff(theta_up, x) ** 2 + sympy.diff(theta_down, x) ** 2), method="simplify",
                         formula=sympy.Eq(K / 2 * (sympy.diff(theta_up, x) ** 2 + sympy.diff(theta_down, x) ** 2), gradient_term,
                                          evaluate=False)),
            claims.equal(r"Completing squares with $\Phi = -\sqrt{AK}(\cos\theta_\uparrow + \cos\theta_\downarrow)$: the density is "
                         r"$\frac{K}{2}\sum_s(\theta_s' - \sqrt{A/K}\sin\theta_s)^2 + \frac{A}{4}(\cos\theta_\uparrow - "
                         r"\cos\theta_\downarrow)^2 + d\Phi/dx$, since $1 - (c_\uparrow + c_\downarrow)^2/4 - "
                         r"(s_\uparrow^2 + s_\downarrow^2)/2 = (c_\uparrow - c_\downarrow)^2/4$",
                         lambda: sympy.expand(density()), lambda: sympy.expand(completed_squares()), method="simplify",
                         formula=sympy.Eq(0, completed_squares() - density(), evaluate=False)),
            claims.equal(r"so every path from the minimum $(1, 0)$ ($\theta_s = 0$) to $(0, 1)$ ($\theta_s = \pi$) has action "
                         r"at least $\Phi(\pi, \pi) - \Phi(0, 0) = 4\sqrt{AK}$, the kink's action; equality needs "
                         r"$\cos\theta_\uparrow = \cos\theta_\downarrow$ and $\theta_s' = \sin\theta_s/\xi$, $\xi = \sqrt{K/A}$: "
                         r"the one-angle kink",
                         topological, soliton_action_expr(), method="simplify",
                         formula=sympy.Eq(topological, soliton_action_expr(), evaluate=False)),
            claims.equal(r"The kink $2\arctan e^{x/\xi}$ solves the first-order equation $\theta' = \sin\theta/\xi$",
                         lambda: sympy.simplify(sympy.expand_trig((first_order.lhs - first_order.rhs).doit().subs(width, sympy.sqrt(K / A)))),
                         0, method="simplify", formula=first_order),
        ),
        note=r"The bound covers rotations in the block of replicas 1 and 2 at $n = 0$ with independent angles for the two "
             r"spins. Rotations into other Matsubara energies, off-diagonal in spin or with a phase are not covered; "
             r"for those the numerics on a chain (general $Q$, two windows of Matsubara energies) find no lower action.",
    )

"""Category entry: the continuous-time Bass model, stepped one quarter at a time.

Authors give Bass p and q per year, as published. The Bass equation
dF/dt = (p + q·F)(1 − F) (F: the fraction of the potential market in the category) is
autonomous, so the adopted fraction a quarter later depends only on the fraction now:
with R(F) = (1 + (q/p)·F)/(1 − F), which grows as e^{(p+q)t} along the closed-form curve
F(t) = (1 − e^{−(p+q)t})/(1 + (q/p)·e^{−(p+q)t}), one step is R ← R·e^{(p+q)Δ}. Stepping
this way reproduces the published curve exactly for any q (the discrete recursion
F + (p + qF)(1 − F) overshoots it when q is large), and stays right when the potential
market grows: newcomers simply lower F.
"""

from __future__ import annotations

import math

YEARS_PER_QUARTER = 0.25


def bass_fraction(p: float, q: float, years: float) -> float:
    """Closed-form Bass F(t): the fraction adopted ``years`` after launch (F(0) = 0)."""
    if p <= 0.0:
        return 0.0
    decay = math.exp(-(p + q) * years)
    return (1.0 - decay) / (1.0 + (q / p) * decay)


def bass_step(fraction: float, p: float, q: float, years: float = YEARS_PER_QUARTER) -> float:
    """The adopted fraction ``years`` later, starting from ``fraction`` now (0 ≤ F ≤ 1).

    R ← R·E with E = e^{(p+q)Δ}, solved for F and multiplied through by p·(1 − F) so that
    p = 0 needs no special case: F′ = (E·(p + qF) − p·(1 − F)) / (E·(p + qF) + q·(1 − F)).
    p = 0 is then the logistic curve of pure imitation, q = 0 pure innovation
    1 − (1 − F)/E, and with both 0 (or F = 1) nobody enters.
    """
    f = min(max(fraction, 0.0), 1.0)
    grow = math.exp((p + q) * years)
    pull = grow * (p + q * f)
    below = pull + q * (1.0 - f)
    if f >= 1.0 or below <= 0.0:
        return f
    return min(max((pull - p * (1.0 - f)) / below, f), 1.0)

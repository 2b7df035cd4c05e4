"""Discovery: measurements shrink the believed-vs-true error, more with focus and repetition."""

from __future__ import annotations

import numpy as np
import pytest

from engine import research
from engine.loader import load_scenario
from game.paths import bundled_scenarios


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == "tutorial"))


def _method(tutorial, mid):
    return next(m for m in tutorial.research if m.id == mid)


def test_research_lowers_believed_vs_true_error(tutorial):
    truth = research.truth_at_start(tutorial, "player")
    prior = research.prior(tutorial, "player")
    e0 = research.error(prior, truth)
    gains = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        b = prior
        for seg in tutorial.segment_ids():
            for mid in ("interviews", "survey", "usability_test"):
                b, _ = research.study(b, _method(tutorial, mid), seg, truth, 0.45, rng)
        e1 = research.error(b, truth)
        gains.append((1 - e1.overall / e0.overall, 1 - e1.ideals / e0.ideals))
    overall, ideals = np.mean(gains, axis=0)
    print(f"error cut: overall {overall:.0%}, ideals {ideals:.0%}")
    assert overall > 0.4  # one round of three studies per segment cuts the error by 40%+
    assert ideals > 0.3


def test_repeat_studies_combine_like_independent_measurements(tutorial):
    truth = research.truth_at_start(tutorial, "player")
    b = research.prior(tutorial, "player")
    m = _method(tutorial, "interviews")
    rng = np.random.default_rng(1)
    sd = research.noise(m, 0.5)
    b1, _ = research.study(b, m, "mid", truth, 0.5, rng)
    b2, _ = research.study(b1, m, "mid", truth, 0.5, rng)
    prior_sd = b.ideals["mid"]["usability"].sd
    expect1 = (prior_sd**-2 + sd**-2) ** -0.5
    expect2 = (prior_sd**-2 + 2 * sd**-2) ** -0.5
    assert b1.ideals["mid"]["usability"].sd == pytest.approx(expect1)
    assert b2.ideals["mid"]["usability"].sd == pytest.approx(expect2)
    assert b2.studies == 2 and b2.segments_studied == {"mid"}


def test_customer_focus_shrinks_noise(tutorial):
    m = _method(tutorial, "survey")
    assert research.noise(m, 0.5) == pytest.approx(m.noise)
    assert research.noise(m, 0.9) == pytest.approx(0.6 * m.noise)
    assert research.noise(m, 0.1) == pytest.approx(1.4 * m.noise)


def test_beliefs_go_stale_but_never_vaguer_than_the_prior(tutorial):
    truth = research.truth_at_start(tutorial, "player")
    b0 = research.prior(tutorial, "player")
    b, _ = research.study(
        b0, _method(tutorial, "interviews"), "smb", truth, 0.5, np.random.default_rng(0)
    )
    sd = b.ideals["smb"]["usability"].sd
    aged = research.age(b)
    assert aged.ideals["smb"]["usability"].sd == pytest.approx(np.hypot(sd, research.STALENESS))
    for _ in range(400):
        aged = research.age(aged)
    assert aged.ideals["smb"]["usability"].sd == pytest.approx(research.PRIOR_IDEAL[1])


def test_competitor_intel(tutorial):
    truth = research.truth_at_start(tutorial, "player")
    b0 = research.prior(tutorial, "player")
    b, finding = research.study(
        b0, _method(tutorial, "usability_test"), "smb", truth, 0.5, np.random.default_rng(0)
    )
    assert set(finding.competitors) == {"planly", "stackworks"}
    assert research.error(b, truth).competitors < research.error(b0, truth).competitors

"""Stress scenarios: shocks per scenario, applied to the credit, market and liquidity inputs.

A scenarios dataset has rows (scenario, shock, asset_class, value). Shocks:
- pd_multiplier (PD × value, capped at 1), lgd_addon (LGD + value, capped at 1) — loan book;
- price_shock: a relative price move of the positions of `asset_class` (blank: every
  position), e.g. −0.3; the loss is −Σ exposure × move;
- outflow_multiplier, inflow_multiplier (on the run-off and inflow rates), haircut_addon —
  cash flows.
"""

from dataclasses import dataclass, field

import numpy as np

SHOCKS = (
    "pd_multiplier",
    "lgd_addon",
    "price_shock",
    "outflow_multiplier",
    "inflow_multiplier",
    "haircut_addon",
)


@dataclass
class Scenario:
    name: str
    pd_multiplier: float = 1.0
    lgd_addon: float = 0.0
    outflow_multiplier: float = 1.0
    inflow_multiplier: float = 1.0
    haircut_addon: float = 0.0
    price_shocks: dict[str, float] = field(default_factory=dict)  # asset class ('' = all)


def scenarios(names: np.ndarray, shocks: np.ndarray, classes: np.ndarray, values: np.ndarray):
    """The scenarios in order of first appearance (a later row of the same shock wins)."""
    found: dict[str, Scenario] = {}
    for name, shock, asset_class, value in zip(names, shocks, classes, values, strict=True):
        scenario = found.setdefault(str(name), Scenario(str(name)))
        if shock == "price_shock":
            scenario.price_shocks[str(asset_class)] = float(value)
        else:
            setattr(scenario, str(shock), float(value))
    return list(found.values())


def stressed_credit_loss(
    scenario: Scenario, pd: np.ndarray, lgd: np.ndarray, ead: np.ndarray
) -> float:
    stressed_pd = np.minimum(pd * scenario.pd_multiplier, 1.0)
    stressed_lgd = np.minimum(lgd + scenario.lgd_addon, 1.0)
    return float((stressed_pd * stressed_lgd * ead).sum())


def price_shock_loss(scenario: Scenario, exposures: np.ndarray, classes: np.ndarray) -> float:
    """−Σ exposure × move; a class's own shock wins over the all-positions one."""
    every = scenario.price_shocks.get("", 0.0)
    moves = np.array([scenario.price_shocks.get(str(c), every) for c in classes], dtype=float)
    return float(-(exposures * moves).sum())

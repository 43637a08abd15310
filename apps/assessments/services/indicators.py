"""The built-in indicators runs feed, created on first use through the early-warning
services, and the observations a finished run writes to them (the warning rules watch them)."""

from datetime import datetime
from typing import Any

from apps.assessments.selectors import risk_category_ids
from apps.early_warning.selectors import indicators
from apps.early_warning.services.indicators import indicator_save
from apps.early_warning.services.ingestion import PointIn, ingest

DYNAMIC = {"threshold_mode": "mean_sigma", "dynamic_amber": 2.0, "dynamic_red": 3.0}
SEEDED: dict[str, dict[str, Any]] = {
    "psi_scorecard": {
        "name": "Scorecard population stability (PSI)",
        "description": "PSI of the scored population against the scorecard's development "
        "sample, on the bin edges stored with the scorecard version.",
        "unit": "index",
        "direction": "higher_is_worse",
        "amber": 0.1,
        "red": 0.25,
        "category": "credit",
    },
    "portfolio_pd": {
        "name": "Portfolio PD (EAD-weighted, %)",
        "description": "Exposure-weighted PD of the last scored loan book.",
        "unit": "%",
        "direction": "higher_is_worse",
        "amber": 3.0,
        "red": 5.0,
        "category": "credit",
    },
    "npl_ratio": {
        "name": "NPL ratio (%)",
        "description": "Share of the loan book (EAD, or balance in the latest month of a "
        "performance history) more than 90 days past due (the run's npl_days).",
        "unit": "%",
        "direction": "higher_is_worse",
        "amber": 3.0,
        "red": 5.0,
        "category": "credit",
    },
    "var_99_1d": {
        "name": "VaR 99% 1-day (historical)",
        "description": "Historical-simulation VaR of the position set, one day, 99%.",
        "unit": "amount",
        "direction": "higher_is_worse",
        "category": "market",
        **DYNAMIC,
    },
    "es_975_1d": {
        "name": "Expected shortfall 97.5% 1-day (historical)",
        "description": "Mean loss beyond the 97.5% historical VaR, one day.",
        "unit": "amount",
        "direction": "higher_is_worse",
        "category": "market",
        **DYNAMIC,
    },
    "var_limit_utilisation": {
        "name": "VaR limit utilisation (%)",
        "description": "VaR 99% 1-day as a share of the VaR limit given to the run.",
        "unit": "%",
        "direction": "higher_is_worse",
        "amber": 80.0,
        "red": 100.0,
        "category": "market",
    },
    "var_backtest_exceptions_250d": {
        "name": "VaR backtest exceptions (250 days)",
        "description": "Days of the last 250 whose loss exceeded the 99% VaR (Basel: 5 yellow, "
        "10 red).",
        "unit": "days",
        "direction": "higher_is_worse",
        "amber": 5.0,
        "red": 10.0,
        "category": "market",
    },
    "liquidity_coverage_ratio": {
        "name": "Liquidity coverage ratio (%)",
        "description": "Liquid assets after haircut over stressed 30-day net outflows.",
        "unit": "%",
        "direction": "lower_is_worse",
        "amber": 120.0,
        "red": 100.0,
        "category": "liquidity",
    },
    "survival_horizon_days": {
        "name": "Survival horizon (days)",
        "description": "Days until liquid assets and stressed net flows run out.",
        "unit": "days",
        "direction": "lower_is_worse",
        "amber": 90.0,
        "red": 30.0,
        "category": "liquidity",
    },
    "funding_concentration_hhi": {
        "name": "Funding concentration (HHI)",
        "description": "Herfindahl index of outflows by counterparty, 0 to 1.",
        "unit": "index",
        "direction": "higher_is_worse",
        "amber": 0.15,
        "red": 0.25,
        "category": "liquidity",
    },
    "risk_reserve_adequacy": {
        "name": "Risk reserve adequacy (%)",
        "description": "A risk reserve fund's balance over the stressed loss of the run it was "
        "assessed against (one series per fund: dimension `fund`).",
        "unit": "%",
        "direction": "lower_is_worse",
        "amber": 120.0,
        "red": 100.0,
        "category": "credit",
    },
}


def ensure_indicators(codes: set[str]) -> set[str]:
    """Create the missing ones of `codes`; returns those that exist now (an indicator whose
    risk category this tenant deleted is left out)."""
    categories = risk_category_ids([SEEDED[c]["category"] for c in codes])
    have = set(indicators().filter(code__in=codes).values_list("code", flat=True))
    for code in sorted(codes - have):
        spec = SEEDED[code]
        if spec["category"] not in categories:
            continue
        fields = {k: v for k, v in spec.items() if k != "category"}
        indicator_save(
            code=code,
            category_id=categories[spec["category"]],
            data_source="assessment",
            frequency_minutes=24 * 60,
            **fields,
        )
        have.add(code)
    return have


def publish_points(points: dict[str, float], *, at: datetime) -> int:
    """One observation per indicator, at the run's finish (a re-publish replaces it)."""
    if not points:
        return 0
    have = ensure_indicators(set(points))
    return ingest(
        [PointIn(code, at, value, None) for code, value in points.items() if code in have]
    ).count


def publish_reserve_adequacy(*, fund: str, percent: float, at: datetime) -> int:
    """The adequacy of one reserve fund as an observation of `risk_reserve_adequacy`."""
    if "risk_reserve_adequacy" not in ensure_indicators({"risk_reserve_adequacy"}):
        return 0
    return ingest([PointIn("risk_reserve_adequacy", at, percent, {"fund": fund})]).count

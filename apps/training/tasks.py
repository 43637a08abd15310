"""Background entry points of the training module (the daily tick)."""


def daily_indicators_if_due() -> dict:
    """Tick handler `training.daily_indicators`: coverage observations, once a day."""
    from apps.training.services.indicators import daily_indicators_if_due as run

    return run()

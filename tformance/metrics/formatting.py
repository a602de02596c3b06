"""Numbers as people read them: "45 min", "6 h", "2.5 d", "30 %"."""


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = max(0.0, float(seconds))
    if seconds < 3600:
        return f"{max(1, round(seconds / 60)) if seconds else 0} min"
    hours = seconds / 3600
    if hours < 48:
        return f"{_short(hours)} h"
    return f"{_short(hours / 24)} d"


def _short(x: float) -> str:
    """One decimal below 10 (without a trailing .0), whole numbers above."""
    if x >= 10:
        return str(round(x))
    return f"{x:.1f}".removesuffix(".0")


def percent_text(share: float | None) -> str:
    if share is None:
        return "–"
    return f"{round(share * 100)} %"

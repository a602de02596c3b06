"""Numbers as people read them: "45 min", "6 h", "2.5 d", "30 %"."""


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = max(0.0, float(seconds))
    if seconds < 3600:
        return f"{max(1, round(seconds / 60)) if seconds else 0} min"
    hours = seconds / 3600
    if hours < 48:
        return f"{hours:.1f} h" if hours < 10 else f"{round(hours)} h"
    days = hours / 24
    return f"{days:.1f} d" if days < 10 else f"{round(days)} d"


def percent_text(share: float | None) -> str:
    if share is None:
        return "–"
    return f"{round(share * 100)} %"

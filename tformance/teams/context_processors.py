from django.utils.functional import SimpleLazyObject

from tformance.teams.selectors import team_nav


def teams(request) -> dict:
    """`team_nav` for the header: the user's teams, the page's own (its `slug`) as current.

    Lazy, so responses that do not render the header (htmx fragments) run no query; none
    either when the view read the user's memberships already (`request.memberships`).
    """
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match else None
    memberships = getattr(request, "memberships", None)
    return {
        "team_nav": SimpleLazyObject(
            lambda: team_nav(user=request.user, current_slug=slug, memberships=memberships)
        )
    }

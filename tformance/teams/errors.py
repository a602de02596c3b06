class TeamProblem(Exception):
    """A change to a team that cannot be made; the message tells the user why."""

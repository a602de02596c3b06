"""Services a test needs: skipped where they are missing, but required in CI."""

import os

import pytest

IN_CI = os.environ.get("CI") == "true"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing here, but fail in CI, where it must exist."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: every service must be present)")
    pytest.skip(reason)

"""Every dashboard page under malformed query strings: never a 5xx, and a message where due.

Hypothesis builds query strings from what attackers and broken bookmarks send (numbers
past PostgreSQL's bigint, negative and unicode digits, NUL bytes, very long values, dates
at the edges of the calendar, repeated keys) for every parameter the pages read. The
examples are derandomized, so CI sees the same ones on every run.
"""

import csv
import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tformance.dashboard.export import CSV_COLUMNS
from tformance.dashboard.forms import DashboardFilterForm, PullRequestListForm

pytestmark = pytest.mark.django_db

FIELDS = PullRequestListForm.base_fields
KEYS = [*FIELDS, "page", "unexpected"]
MODEL_KEYS = ("repository", "member", "reviewer")
CHOICE_KEYS = tuple(k for k, f in FIELDS.items() if hasattr(f, "choices") and k not in MODEL_KEYS)
LIST_ONLY_KEYS = set(FIELDS) - set(DashboardFilterForm.base_fields)
PAGES = ["/t/acme/", "/t/acme/people/", "/t/acme/prs/", "/t/acme/prs.csv"]
# Stand-ins for the ids of `known_history`'s rows, swapped in when the request is built.
ROW_TOKENS = ["<api>", "<web>", "<alice>", "<bob>", "<bot>", "<pr>"]

numbers = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25),
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2),  # PostgreSQL bigint's edge
    st.integers(min_value=10**19, max_value=10**40),
).map(str)
unicode_digits = st.text(alphabet=st.characters(categories=("Nd", "No")), min_size=1, max_size=6)
with_nul = st.text(max_size=6).map(lambda s: f"{s}\x00{s}")
very_long = st.sampled_from([51, 4301, 6000]).flatmap(
    lambda n: st.sampled_from(["9" * n, "x" * n, ",".join(["7"] * n)])
)
edge_dates = st.sampled_from(
    ["0001-01-01", "9999-12-31", "1100-01-01", "2007-12-31", "2008-01-01", "2024-02-29"]
    + ["2025-02-29", "0000-00-00", "10000-01-01", "2026-13-01", "20250101", "-2025-01-01"]
)
dates = st.dates().map(dt.date.isoformat) | edge_dates
id_lists = st.lists(numbers | unicode_digits | st.sampled_from(["", " ", "<pr>"]), max_size=4).map(
    ",".join
)
known_values = st.sampled_from(
    sorted({str(v) for f in FIELDS.values() for v, _ in getattr(f, "choices", ())} - {""})
    + ["on", "1", "0", "false", *ROW_TOKENS]
)
values = st.one_of(
    known_values,
    numbers,
    unicode_digits,
    with_nul,
    very_long,
    st.text(max_size=12),
    dates,
    id_lists,
)
pairs = st.lists(st.tuples(st.sampled_from(KEYS), values), max_size=6)
custom_period = st.tuples(dates, dates).map(
    lambda d: [("range", "custom"), ("start", d[0]), ("end", d[1])]
)
queries = st.tuples(st.just([]) | custom_period, pairs).map(lambda t: t[0] + t[1])


def _ids(known_history) -> dict[str, str]:
    h = known_history
    rows = {"<api>": h["api"], "<web>": h["web"], "<alice>": h["alice"], "<bob>": h["bob"]}
    rows |= {"<bot>": h["bot"], "<pr>": h["prs"][0]}
    return {token: str(row.pk) for token, row in rows.items()}


def _with_ids(value: str, valid_ids: dict) -> str:
    for token, pk in valid_ids.items():
        value = value.replace(token, pk)
    return value


def _plain_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 20 and str(int(text)) == text


def notice_due(key: str, value: str, *, list_page: bool, valid_ids: dict) -> bool:
    """Whether the page must say it ignored `value` of `key` (the cases we can tell apart)."""
    if not value or (key in LIST_ONLY_KEYS and not list_page):
        return False
    if key in MODEL_KEYS:
        team_rows = {
            "repository": ("<api>", "<web>"),
            "member": ("<alice>", "<bob>", "<bot>"),
            "reviewer": ("<alice>", "<bob>", "<bot>"),
        }[key]
        return value not in {valid_ids[t] for t in team_rows}
    if key in CHOICE_KEYS:
        return value not in {str(v) for v, _ in FIELDS[key].choices}
    if key == "language":
        return "\x00" in value or len(value.strip()) > 50
    if key == "ids":
        pieces = [p.strip() for p in value.split(",") if p.strip()]
        return not all(_plain_id(p) for p in pieces) or len(pieces) > 200
    return False


@pytest.fixture
def signed_in(member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


@pytest.mark.parametrize("url", PAGES)
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries, htmx=st.booleans())
def test_no_query_string_makes_a_dashboard_page_fail(signed_in, known_history, url, query, htmx):
    valid_ids = _ids(known_history)
    query = [(k, _with_ids(v, valid_ids)) for k, v in query]
    headers = {"HX-Request": "true"} if htmx else {}

    # A savepoint per example: a failed query cannot poison the next examples' transaction.
    with transaction.atomic():
        response = signed_in.get(f"{url}?{urlencode(query)}", headers=headers)
        text = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()

    last = dict(query)  # a repeated key counts with its last value, as in QueryDict.get
    due = [
        k for k, v in last.items() if notice_due(k, v, list_page="/prs" in url, valid_ids=valid_ids)
    ]
    assert response.status_code < 500, f"{response.status_code} for {query!r}"
    if url.endswith(".csv"):
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert not due, f"a CSV for {query!r}, which names filters it cannot use: {due}"
            assert next(csv.reader(io.StringIO(text))) == CSV_COLUMNS
        else:
            assert response["Content-Type"].startswith("text/plain") and "export" in text
    else:
        assert response.status_code == 200
        assert 'class="period' in text  # the page rendered, with the period it used
        if due:
            assert 'data-testid="filter-notice"' in text, f"no message for {due} in {query!r}"

"""The small JQL grammar: what it reads, how it sorts, and Jira's 400s for the rest."""

from datetime import UTC, datetime

import pytest

from github_sandbox.jira import jql


def test_the_products_incremental_query_parses():
    query = jql.parse(
        'project in (CORE, web) AND updated >= "2026-11-30 10:15" ORDER BY updated ASC'
    )
    assert query.projects == ["CORE", "WEB"]
    assert query.times == [("updated", ">=", datetime(2026, 11, 30, 10, 15, tzinfo=UTC))]
    assert query.order == [("updated", False)]


def test_keys_created_and_several_sort_keys_parse():
    query = jql.parse(
        "key in (CORE-1, 'WEB-2') AND created < 2026/01/02 ORDER BY created DESC, key"
    )
    assert query.keys == ["CORE-1", "WEB-2"]
    assert query.times == [("created", "<", datetime(2026, 1, 2, tzinfo=UTC))]
    assert query.order == [("created", True), ("key", False)]


@pytest.mark.parametrize(
    "text, message",
    [
        ("project in (CORE, WEB", "Expecting ')' or ','"),
        ("project ~ CORE", "Expecting operator '=' or 'in'"),
        ("status = Done", "Field 'status' does not exist"),
        ('updated >= "yesterday"', "Date value 'yesterday' for field 'updated' is invalid"),
        ("project = CORE OR project = WEB", "Expecting 'AND' or 'ORDER BY'"),
        ("project = CORE ORDER BY priority", "Not able to sort using field 'priority'"),
        ("project = CORE ORDER updated", "Expecting 'by' after 'order'"),
    ],
)
def test_anything_else_is_a_jql_error(text, message):
    with pytest.raises(jql.JqlError) as raised:
        jql.parse(text)
    assert message in str(raised.value)


def test_an_empty_query_or_only_an_order_is_unbounded():
    assert not jql.parse("").bounded
    assert not jql.parse("ORDER BY key DESC").bounded
    assert jql.parse("project = CORE").bounded

"""The site's field catalogue, as `GET /rest/api/3/field` lists it.

Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
"""

from __future__ import annotations

from .models import SPRINT_FIELD, STORY_POINTS_FIELD

# id, name, schema type, items, clause names
SYSTEM = [
    ("summary", "Summary", "string", None, ["summary"]),
    ("issuetype", "Issue Type", "issuetype", None, ["issuetype", "type"]),
    ("status", "Status", "status", None, ["status"]),
    (
        "statuscategorychangedate",
        "Status Category Changed",
        "datetime",
        None,
        ["statusCategoryChangedDate"],
    ),
    ("assignee", "Assignee", "user", None, ["assignee"]),
    ("reporter", "Reporter", "user", None, ["reporter"]),
    ("creator", "Creator", "user", None, ["creator"]),
    ("created", "Created", "datetime", None, ["created", "createdDate"]),
    ("updated", "Updated", "datetime", None, ["updated", "updatedDate"]),
    ("resolutiondate", "Resolved", "datetime", None, ["resolutiondate", "resolved"]),
    ("resolution", "Resolution", "resolution", None, ["resolution"]),
    ("project", "Project", "project", None, ["project"]),
    ("labels", "Labels", "array", "string", ["labels"]),
    ("parent", "Parent", "issuelink", None, ["parent"]),
]
# id, name, schema type, items, custom type key, clause names
CUSTOM = [
    (
        STORY_POINTS_FIELD,
        "Story point estimate",
        "number",
        None,
        "com.pyxis.greenhopper.jira:jsw-story-points",
        ["cf[10016]", "Story point estimate"],
    ),
    (
        SPRINT_FIELD,
        "Sprint",
        "array",
        "json",
        "com.pyxis.greenhopper.jira:gh-sprint",
        ["cf[10020]", "Sprint"],
    ),
    (
        "customfield_10019",
        "Rank",
        "any",
        None,
        "com.pyxis.greenhopper.jira:gh-lexo-rank",
        ["cf[10019]", "Rank"],
    ),
    (
        "customfield_10001",
        "Team",
        "team",
        None,
        "com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team",
        ["cf[10001]", "Team"],
    ),
]
KNOWN = {f[0] for f in SYSTEM} | {f[0] for f in CUSTOM}


def catalogue() -> list[dict]:
    fields = []
    for field_id, name, kind, items, clauses in SYSTEM:
        schema = {"type": kind, "system": field_id}
        if items:
            schema["items"] = items
        fields.append(
            {
                "id": field_id,
                "key": field_id,
                "name": name,
                "custom": False,
                "orderable": field_id not in ("created", "updated", "resolutiondate", "creator"),
                "navigable": True,
                "searchable": True,
                "clauseNames": clauses,
                "schema": schema,
            }
        )
    for field_id, name, kind, items, custom, clauses in CUSTOM:
        schema = {"type": kind, "custom": custom, "customId": int(field_id.split("_")[1])}
        if items:
            schema["items"] = items
        fields.append(
            {
                "id": field_id,
                "key": field_id,
                "name": name,
                "untranslatedName": name,
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": clauses,
                "schema": schema,
            }
        )
    return fields

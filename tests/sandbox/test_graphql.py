"""GraphQL over real HTTP: pagination, GitHub's query rules, cost accounting, error shapes."""

from graphql import build_schema, parse

from github_sandbox.graphql_limits import analyze, operation_of
from github_sandbox.world import HARD_CASES_REPO

OWNER, NAME = HARD_CASES_REPO.split("/")
PULLS_QUERY = """
query($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(first: 25, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      totalCount
      pageInfo { endCursor hasNextPage }
      nodes { number updatedAt }
    }
  }
}"""


def test_it_pages_pull_requests_by_updated_at_desc(client, github_sandbox):
    seen, after = [], None
    while True:
        data = client.graphql(PULLS_QUERY, {"owner": OWNER, "name": NAME, "after": after}).json()
        conn = data["data"]["repository"]["pullRequests"]
        seen += conn["nodes"]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    truth = github_sandbox.world.all_pulls(HARD_CASES_REPO)
    assert len(seen) == conn["totalCount"] == len(truth)
    stamps = [n["updatedAt"] for n in seen]
    assert stamps == sorted(stamps, reverse=True)
    assert len({n["number"] for n in seen}) == len(truth)


def test_cursors_are_opaque_base64_strings(client):
    data = client.graphql(PULLS_QUERY, {"owner": OWNER, "name": NAME}).json()
    cursor = data["data"]["repository"]["pullRequests"]["pageInfo"]["endCursor"]
    assert cursor.endswith("=") or cursor.isalnum()
    bad = client.graphql(PULLS_QUERY, {"owner": OWNER, "name": NAME, "after": "nope"}).json()
    assert bad["errors"][0]["type"] == "INVALID_CURSOR_ARGUMENTS"


def test_a_connection_without_first_or_last_is_rejected(client):
    body = client.graphql(
        '{ repository(owner: "acme", name: "monolith") { pullRequests { totalCount } } }'
    ).json()
    assert body["data"] == {"repository": None}
    [error] = body["errors"]
    assert error["type"] == "MISSING_PAGINATION_BOUNDARIES"
    assert error["path"] == ["repository", "pullRequests"]
    assert error["message"] == (
        "You must provide a `first` or `last` value to properly paginate "
        "the `pullRequests` connection."
    )


def test_first_above_one_hundred_is_rejected(client):
    body = client.graphql(
        '{ repository(owner: "acme", name: "monolith") '
        "{ pullRequests(first: 101) { totalCount } } }"
    ).json()
    [error] = body["errors"]
    assert error["type"] == "EXCESSIVE_PAGINATION"
    assert error["message"] == (
        "Requesting 101 records on the `pullRequests` connection exceeds "
        "the `first` limit of 100 records."
    )


def test_a_misspelled_field_gets_githubs_validation_error(client):
    body = client.graphql("query { viewer { login foo } }").json()
    assert "data" not in body
    assert body["errors"] == [
        {
            "path": ["query", "viewer", "foo"],
            "extensions": {"code": "undefinedField", "typeName": "User", "fieldName": "foo"},
            "locations": [{"line": 1, "column": 24}],
            "message": "Field 'foo' doesn't exist on type 'User'",
        }
    ]


def test_named_operations_and_aliases_label_the_error_path(client):
    body = client.graphql(
        'query Sync { r: repository(owner: "acme", name: "monolith") { nameWithOwner pushedAtt } }'
    ).json()
    assert body["errors"][0]["path"] == ["query Sync", "r", "pushedAtt"]


def test_a_missing_repository_is_null_with_a_not_found_error(client):
    body = client.graphql('{ repository(owner: "acme", name: "nope") { name } }').json()
    assert body["data"] == {"repository": None}
    assert body["errors"][0]["type"] == "NOT_FOUND"
    assert body["errors"][0]["message"] == (
        "Could not resolve to a Repository with the name 'acme/nope'."
    )


DOC_SCHEMA = build_schema("""
type Query { viewer: User! }
type User { login: String! repositories(first: Int, last: Int): RepositoryConnection!
            followers(first: Int): UserConnection! }
type UserConnection { edges: [UserEdge] }
type UserEdge { node: User }
type RepositoryConnection { edges: [RepositoryEdge] }
type RepositoryEdge { node: Repository }
type Repository { id: ID! name: String
  issues(first: Int): IssueConnection! pullRequests(first: Int): IssueConnection! }
type IssueConnection { totalCount: Int edges: [IssueEdge] }
type IssueEdge { node: Issue }
type Issue { id: ID! title: String bodyHTML: String
  labels(first: Int): LabelConnection! comments(first: Int): CommentConnection! }
type LabelConnection { edges: [LabelEdge] }
type LabelEdge { node: Label }
type Label { id: ID! name: String }
type CommentConnection { edges: [CommentEdge] }
type CommentEdge { node: Comment }
type Comment { bodyHTML: String }
""")


def doc_analysis(query):
    document = parse(query)
    return analyze(DOC_SCHEMA, document, operation_of(document, None), {})


def test_node_count_matches_the_docs_simple_example():
    result = doc_analysis("""query { viewer { repositories(first: 50) { edges { repository:node {
        name issues(first: 10) { totalCount edges { node { title bodyHTML } } } } } } } }""")
    assert result.node_count == 550


def test_node_count_matches_the_docs_complex_example():
    result = doc_analysis("""query { viewer {
      repositories(first: 50) { edges { repository:node { name
        pullRequests(first: 20) { edges { pullRequest:node { title
          comments(first: 10) { edges { comment:node { bodyHTML } } } } } }
        issues(first: 20) { totalCount edges { issue:node { title bodyHTML
          comments(first: 10) { edges { comment:node { bodyHTML } } } } } } } } }
      followers(first: 10) { edges { follower:node { login } } } } }""")
    assert result.node_count == 22_060


def test_cost_matches_the_docs_example_of_51_points():
    result = doc_analysis("""query { viewer { login repositories(first: 100) { edges { node { id
        issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name }
        } } } } } } } } } }""")
    assert result.requests == 5_101
    assert result.cost == 51


def test_rate_limit_reports_cost_node_count_and_spends_points(client, github_sandbox):
    query = """{ repository(owner: "acme", name: "monolith") {
      pullRequests(first: 50) { nodes { number files(first: 100) { totalCount }
        reviews(first: 100) { totalCount } } } }
      rateLimit { cost nodeCount limit remaining used } }"""
    rate = client.graphql(query).json()["data"]["rateLimit"]
    assert rate["nodeCount"] == 50 + 50 * 100 + 50 * 100
    assert rate["cost"] == 1  # (1 + 50 + 50) / 100 rounds to 1
    again = client.graphql(query).json()["data"]["rateLimit"]
    assert again["used"] == rate["used"] + 1 and again["remaining"] == rate["remaining"] - 1
    assert github_sandbox.stats.graphql_points == 2


def test_a_dry_run_does_not_spend_points(client):
    first = client.graphql("{ rateLimit(dryRun: true) { cost remaining } }").json()
    second = client.graphql("{ rateLimit(dryRun: true) { cost remaining } }").json()
    assert first["data"]["rateLimit"]["remaining"] == second["data"]["rateLimit"]["remaining"]


def test_the_node_limit_rejects_the_whole_query(client):
    body = client.graphql("""{ organization(login: "acme") { repositories(first: 100) { nodes {
        pullRequests(first: 100) { nodes { commits(first: 100) { totalCount } } } } } } }""").json()
    assert "data" not in body
    assert body["errors"] == [
        {
            "type": "MAX_NODE_LIMIT_EXCEEDED",
            "message": "By the time this query traverses to the commits connection, it is requesting "
            "up to 1,000,000 possible nodes which exceeds the maximum limit of 500,000.",
        }
    ]


def test_ghost_authors_are_null_and_bots_are_bot_actors(client, github_sandbox):
    cases = github_sandbox.world.hard_cases
    query = """query($n: Int!, $m: Int!) { repository(owner: "acme", name: "monolith") {
      ghost: pullRequest(number: $n) { author { login } }
      bot: pullRequest(number: $m) { author { __typename login ... on Bot { databaseId } } } } }"""
    data = client.graphql(
        query, {"n": cases["ghost_author"].number, "m": cases["bot_dependabot"].number}
    ).json()["data"]
    assert data["repository"]["ghost"]["author"] is None
    assert data["repository"]["bot"]["author"] == {
        "__typename": "Bot",
        "login": "dependabot",
        "databaseId": 49699333,
    }


def test_the_hard_case_children_page_completely(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["many_files"]
    paths, after = [], None
    query = """query($n: Int!, $after: String) { repository(owner: "acme", name: "monolith") {
      pullRequest(number: $n) { changedFiles files(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { path additions deletions changeType } } } } }"""
    while True:
        pull = client.graphql(query, {"n": pr.number, "after": after}).json()["data"]["repository"][
            "pullRequest"
        ]
        paths += [n["path"] for n in pull["files"]["nodes"]]
        if not pull["files"]["pageInfo"]["hasNextPage"]:
            break
        after = pull["files"]["pageInfo"]["endCursor"]
    assert paths == [f.path for f in pr.files] and pull["changedFiles"] == len(pr.files)


def test_timeline_items_include_ready_for_review_events(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["ready_after_draft"]
    query = """query($n: Int!) { repository(owner: "acme", name: "monolith") {
      pullRequest(number: $n) { timelineItems(first: 50, itemTypes: [READY_FOR_REVIEW_EVENT,
        CONVERT_TO_DRAFT_EVENT]) { totalCount nodes { __typename
          ... on ReadyForReviewEvent { id createdAt actor { login } }
          ... on ConvertToDraftEvent { createdAt } } } } } }"""
    items = client.graphql(query, {"n": pr.number}).json()["data"]["repository"]["pullRequest"][
        "timelineItems"
    ]
    assert [n["__typename"] for n in items["nodes"]] == [
        "ReadyForReviewEvent",
        "ConvertToDraftEvent",
        "ReadyForReviewEvent",
    ]
    assert items["nodes"][0]["actor"]["login"] == pr.author.login


def test_commits_expose_git_actors_and_ai_trailers(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["ai_trailers"]
    query = """query($n: Int!) { repository(owner: "acme", name: "monolith") {
      pullRequest(number: $n) { body commits(first: 10) { totalCount nodes { commit {
        oid messageHeadline messageBody authoredDate author { name email user { login } } } } } } } }"""
    pull = client.graphql(query, {"n": pr.number}).json()["data"]["repository"]["pullRequest"]
    bodies = " ".join(n["commit"]["messageBody"] for n in pull["commits"]["nodes"])
    assert "Co-authored-by: Claude <noreply@anthropic.com>" in bodies
    assert pull["commits"]["nodes"][0]["commit"]["author"]["user"]["login"] == "noah-kim"


def test_node_lookup_round_trips_global_ids(client):
    data = client.graphql(
        '{ repository(owner: "acme", name: "monolith") { id pullRequest(number: 3) { id } } }'
    ).json()["data"]["repository"]
    body = client.graphql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
        {"ids": [data["id"], data["pullRequest"]["id"], "X_nope"]},
    ).json()
    assert [n and n["__typename"] for n in body["data"]["nodes"]] == [
        "Repository",
        "PullRequest",
        None,
    ]
    assert body["errors"][0]["type"] == "NOT_FOUND"


def test_members_with_role_needs_read_org(github_sandbox, make_client):
    narrow = make_client(github_sandbox, github_sandbox.issue_token(scopes=["repo"]))
    body = narrow.graphql(
        '{ organization(login: "acme") { membersWithRole(first: 5) { totalCount } } }'
    ).json()
    assert body["errors"][0]["type"] == "INSUFFICIENT_SCOPES"
    full = (
        make_client(github_sandbox)
        .graphql(
            '{ organization(login: "acme") { membersWithRole(first: 20) { totalCount '
            "edges { role node { login } } } } }"
        )
        .json()
    )
    conn = full["data"]["organization"]["membersWithRole"]
    assert conn["totalCount"] == 10
    assert {"role": "ADMIN", "node": {"login": "maya-chen"}} in conn["edges"]


def test_private_repositories_are_invisible_without_the_repo_scope(github_sandbox, make_client):
    narrow = make_client(github_sandbox, github_sandbox.issue_token(scopes=["read:org"]))
    body = narrow.graphql('{ repository(owner: "acme", name: "monolith") { name } }').json()
    assert body["errors"][0]["type"] == "NOT_FOUND"


def test_graphql_is_served_enterprise_style_too(github_sandbox, make_client):
    body = make_client(github_sandbox, enterprise=True).graphql("{ viewer { login } }").json()
    assert body == {"data": {"viewer": {"login": "maya-chen"}}}


def test_full_database_ids_are_big_int_strings(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["open"]
    body = client.graphql(
        """query($n: Int!) { repository(owner: "acme", name: "monolith") {
      pullRequest(number: $n) { databaseId fullDatabaseId
        reviews(first: 1) { nodes { databaseId fullDatabaseId } } } } }""",
        {"n": pr.number},
    )
    pull = body.json()["data"]["repository"]["pullRequest"]
    assert pull["fullDatabaseId"] == str(pr.id) == str(pull["databaseId"])
    assert pull["reviews"]["nodes"][0]["fullDatabaseId"] == str(pr.reviews[0].id)


def aliased_files_query(numbers):
    pulls = " ".join(
        f"pr{n}: pullRequest(number: {n}) {{ files(first: 100) {{ totalCount }} }}" for n in numbers
    )
    return f"""{{ repository(owner: "acme", name: "monolith") {{ {pulls} }}
      rateLimit {{ cost nodeCount }} }}"""


def test_aliases_count_each_connection_once_for_the_cost_and_node_limit(client, github_sandbox):
    numbers = [pr.number for pr in github_sandbox.world.all_pulls(HARD_CASES_REPO)][:40]
    body = client.graphql(aliased_files_query(numbers)).json()
    assert "errors" not in body
    repository = body["data"]["repository"]
    assert set(repository) == {f"pr{n}" for n in numbers}
    truth = {pr.number: len(pr.files) for pr in github_sandbox.world.all_pulls(HARD_CASES_REPO)}
    assert all(repository[f"pr{n}"]["files"]["totalCount"] == truth[n] for n in numbers)
    # 40 connections, each one "request" of 100 nodes: 40 / 100 rounds to 0, at least 1.
    assert body["data"]["rateLimit"] == {"cost": 1, "nodeCount": 4_000}
    many = client.graphql(aliased_files_query(list(range(1, 151)))).json()
    assert many["data"]["rateLimit"]["cost"] == 2  # 150 / 100 rounds to 2


def test_a_missing_pull_request_behind_an_alias_is_null_with_a_not_found_error(client):
    body = client.graphql(
        """{ repository(owner: "acme", name: "monolith") {
          pr1: pullRequest(number: 1) { number }
          pr987654: pullRequest(number: 987654) { number } } }"""
    ).json()
    assert body["data"]["repository"] == {"pr1": {"number": 1}, "pr987654": None}
    [error] = body["errors"]
    assert error["type"] == "NOT_FOUND" and error["path"] == ["repository", "pr987654"]

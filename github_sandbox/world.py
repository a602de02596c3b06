"""The in-memory GitHub the sandbox serves: lookups, ordering caches, changes, ground truth.

An empty `World` is the data model; `populate.world_build` fills one with an organisation.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

from . import generator as gen
from .models import Account, Commit, GitActor, Organization, PullRequest, Repository, Review

DEFAULT_ORG = "acme"
SECOND_ORG = "acme-labs"
HARD_CASES_REPO = "acme/monolith"
VIEWER_LOGIN = "maya-chen"
OUTSIDER_LOGIN = gen.OUTSIDER[0]
ID_BASES = {"repo": 600_000, "pull": 1_800_000_000, "review": 2_400_000_000, "event": 9_100_000_000}


class World:
    """All data plus a lock; the server holds `lock` while it reads, changes take it too."""

    default_org = DEFAULT_ORG
    second_org = SECOND_ORG
    viewer_login = VIEWER_LOGIN

    def __init__(self, *, seed: int = 1, now: datetime | None = None):
        self.seed = seed
        now = now or datetime.now(UTC).replace(second=0, microsecond=0)
        self.now = now.astimezone(UTC).replace(microsecond=0)
        self.lock = threading.RLock()
        self.version = 0
        self.accounts: dict[str, Account] = {}
        self.repos: dict[str, Repository] = {}
        self.hard_cases: dict[str, PullRequest] = {}
        self.jira = None  # a jira.world.JiraWorld once populated
        self.nodes: dict[str, object] = {}
        self._ids = dict(ID_BASES)
        self._order_cache: dict[tuple, tuple[int, list, list]] = {}
        self._last_tick = self.now

    # -- building blocks -------------------------------------------------------------------
    def next_id(self, kind: str) -> int:
        self._ids[kind] += 1
        return self._ids[kind]

    def add_account(self, account: Account) -> None:
        self.accounts[account.login] = account

    def add_repo(self, repo: Repository) -> None:
        self.repos[repo.full_name.lower()] = repo
        repo.owner.repos.append(repo)

    def new_pull(self, repo: Repository, author: Account | None, created: datetime) -> PullRequest:
        """An empty pull request, numbered after the repository's last one."""
        number = len(repo.pulls) + 1
        pr = PullRequest(
            self.next_id("pull"),
            number,
            repo,
            "",
            "",
            author,
            created,
            created,
            head_ref=f"{author.graphql_login if author else 'ghost'}/change-{number}",
        )
        repo.pulls.append(pr)
        return pr

    def settle(self) -> None:
        """Once built: every node indexed, and changes happen after the newest update."""
        self._last_tick = max([self.now] + [p.updated_at for p in self.all_pulls()])
        self.reindex()

    def reindex(self) -> None:
        """Registers every node ID so `node(id:)` is a dict lookup."""
        nodes = {a.node_id: a for a in self.accounts.values()}
        for repo in self.repos.values():
            nodes[repo.node_id] = repo
            for pr in repo.pulls:
                nodes[pr.node_id] = pr
                nodes.update((r.node_id, r) for r in pr.reviews)
                nodes.update((e.node_id, e) for e in pr.events)
                nodes.update((c.node_id, c) for c in pr.commits)
        self.nodes = nodes

    def _changed(self) -> None:
        self.version += 1
        self._order_cache.clear()

    def tick(self) -> datetime:
        """'Now' for changes: real time, strictly after everything already in the world."""
        now = datetime.now(UTC).replace(microsecond=0)
        self._last_tick = max(now, self._last_tick + timedelta(seconds=1))
        return self._last_tick

    # -- lookups ---------------------------------------------------------------------------
    def account(self, login: str) -> Account | None:
        found = self.accounts.get(login)
        if found is None:
            low = login.lower()
            found = next(
                (
                    a
                    for a in self.accounts.values()
                    if a.login.lower() == low or a.graphql_login.lower() == low
                ),
                None,
            )
        return found

    def org(self, login: str) -> Organization | None:
        found = self.account(login)
        return found if isinstance(found, Organization) else None

    def repo(self, owner: str, name: str) -> Repository | None:
        return self.repos.get(f"{owner}/{name}".lower())

    def repo_by_full_name(self, full_name: str) -> Repository:
        repo = self.repos.get(full_name.lower())
        if repo is None:
            raise KeyError(full_name)
        return repo

    def pull(self, repo: Repository, number: int) -> PullRequest | None:
        # numbers are dense from 1, so the list index is the number minus one
        if 1 <= number <= len(repo.pulls):
            return repo.pulls[number - 1]
        return None

    def org_members(self, login: str) -> list[Account]:
        org = self.org(login)
        members = [self.accounts[m] for m in org.members] if org else []
        return sorted(members, key=lambda a: a.id)

    def user_orgs(self, login: str) -> list[Organization]:
        return sorted(
            (
                a
                for a in self.accounts.values()
                if isinstance(a, Organization) and login in a.members
            ),
            key=lambda o: o.id,
        )

    def all_pulls(self, full_name: str | None = None) -> list[PullRequest]:
        repos = [self.repo_by_full_name(full_name)] if full_name else self.repos.values()
        return [pr for repo in repos for pr in repo.pulls]

    def ordered_pulls(
        self,
        repo: Repository,
        field: str = "CREATED_AT",
        direction: str = "ASC",
        states: tuple = (),
        base: str | None = None,
        head: str | None = None,
        labels: tuple = (),
    ) -> tuple[list[PullRequest], list]:
        """Filtered + sorted pulls and their sort keys, cached until the world changes."""
        key = (repo.id, field, direction, states, base, head, labels)
        cached = self._order_cache.get(key)
        if cached and cached[0] == self.version:
            return cached[1], cached[2]
        items = [
            p
            for p in repo.pulls
            if (not states or p.graphql_state in states)
            and (base is None or p.base_ref == base)
            and (head is None or p.head_ref == head)
            and (not labels or set(labels) & set(p.labels))
        ]
        attr = {
            "CREATED_AT": lambda p: p.created_at.timestamp(),
            "UPDATED_AT": lambda p: p.updated_at.timestamp(),
            "COMMENTS": lambda p: p.comments,
        }[field]
        sign = -1 if direction == "DESC" else 1
        keyed = sorted(((sign * attr(p), sign * p.id), p) for p in items)
        keys, ordered = [k for k, _ in keyed], [p for _, p in keyed]
        self._order_cache[key] = (self.version, ordered, keys)
        return ordered, keys

    # -- ground truth for tests ------------------------------------------------------------
    def pull_truth(self, full_name: str, number: int) -> dict:
        pr = self.pull(self.repo_by_full_name(full_name), number)
        return {
            "number": pr.number,
            "state": pr.graphql_state,
            "draft": pr.draft,
            "author": pr.author.login if pr.author else None,
            "files": len(pr.files),
            "commits": len(pr.commits),
            "reviews": len(pr.reviews),
            "additions": pr.additions,
            "deletions": pr.deletions,
            "created_at": pr.created_at,
            "updated_at": pr.updated_at,
            "merged_at": pr.merged_at,
            "closed_at": pr.closed_at,
        }

    # -- changes for incremental-sync tests ------------------------------------------------
    def add_pull_requests(
        self, full_name: str, count: int = 1, *, author: str | None = None, draft: bool = False
    ) -> list[PullRequest]:
        with self.lock:
            repo = self.repo_by_full_name(full_name)
            rng = random.Random(f"{self.seed}:change:{self.version}")
            humans = [self.accounts[m] for m in repo.owner.members]
            created = []
            for _ in range(count):
                when = self.tick()
                who = self.accounts[author] if author else rng.choice(humans)
                pr = self.new_pull(repo, who, when)
                kind, pr.title = gen.random_title(rng)
                pr.body, trailer = gen.random_body(rng, kind)
                pr.files = gen.make_files(rng, "python", rng.randint(1, 6), pr.id)
                pr.commits = gen.make_commits(
                    rng, who, pr.files, when, rng.randint(1, 3), pr.id, trailer
                )
                pr.draft, pr.updated_at = draft, when
                created.append(pr)
            repo.pushed_at = repo.updated_at = self._last_tick
            self._changed()
            self.reindex()
            return created

    def _touch(self, full_name: str, number: int) -> tuple[PullRequest, datetime]:
        pr = self.pull(self.repo_by_full_name(full_name), number)
        if pr is None:
            raise KeyError(f"{full_name}#{number}")
        when = self.tick()
        pr.updated_at = when
        self._changed()
        return pr, when

    def add_review(
        self,
        full_name: str,
        number: int,
        *,
        state: str = "APPROVED",
        login: str | None = None,
        body: str = "",
    ) -> Review:
        with self.lock:
            pr, when = self._touch(full_name, number)
            reviewer = self.accounts[
                login
                or next(
                    m for m in pr.repo.owner.members if pr.author is None or m != pr.author.login
                )
            ]
            review = Review(
                self.next_id("review"), pr, reviewer, state, body, when, when, pr.head_sha
            )
            pr.reviews.append(review)
            self.nodes[review.node_id] = review
            return review

    def add_commit(
        self,
        full_name: str,
        number: int,
        *,
        message: str = "Follow-up fix",
        additions: int = 3,
        deletions: int = 1,
    ) -> Commit:
        with self.lock:
            pr, when = self._touch(full_name, number)
            who = pr.author
            actor = GitActor(
                (who.name or who.login) if who else "Former Employee",
                gen.email_for(who) if who else "former.employee@example.com",
                when,
                who,
            )
            commit = Commit(
                gen.fake_sha("commit", pr.id, "extra", len(pr.commits)),
                message,
                actor,
                actor,
                additions,
                deletions,
                [pr.head_sha],
            )
            pr.commits.append(commit)
            pr.files[0].additions += additions
            pr.files[0].deletions += deletions
            pr.repo.pushed_at = when
            self.nodes[commit.node_id] = commit
            return commit

    def merge_pull_request(self, full_name: str, number: int, *, by: str | None = None):
        with self.lock:
            pr, when = self._touch(full_name, number)
            pr.state, pr.merged, pr.draft = "closed", True, False
            pr.merged_at = pr.closed_at = when
            pr.merged_by = self.accounts[by or self.viewer_login]
            pr.repo.pushed_at = when
            return pr

    def close_pull_request(self, full_name: str, number: int) -> PullRequest:
        with self.lock:
            pr, when = self._touch(full_name, number)
            pr.state, pr.closed_at = "closed", when
            return pr

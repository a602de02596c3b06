"""AI-assisted pull requests: one table of real-shaped examples, positive and negative."""

import pytest

from tformance.pulls import ai_detection
from tformance.pulls.ai_detection import TOOLS, detect_ai_tools


def case(id, expected, *, body="", commits=(), login="octocat"):
    return pytest.param(body, list(commits), login, expected, id=id)


CLAUDE_FOOTER = "🤖 Generated with [Claude Code](https://claude.com/claude-code)"

CASES = [
    # --- Claude ---------------------------------------------------------------------------
    case(
        "claude/trailer",
        ["Claude"],
        commits=["Add x\n\nCo-Authored-By: Claude <noreply@anthropic.com>"],
    ),
    case(
        "claude/trailer-with-model-lowercase-key",
        ["Claude"],
        commits=["Fix\n\nco-authored-by: Claude Opus 4.8 (1M context) <noreply@anthropic.com>"],
    ),
    case("claude/pr-footer", ["Claude"], body=f"## Summary\n- fix\n\n{CLAUDE_FOOTER}"),
    case(
        "claude/old-footer",
        ["Claude"],
        body="🤖 Generated with [Claude Code](https://claude.ai/code)",
    ),
    case("claude/plain-footer", ["Claude"], commits=["Fix\n\nGenerated with Claude Code"]),
    case(
        "claude/session-link", ["Claude"], body="https://claude.ai/code/session_01SBzqph11q7ZSHA5"
    ),
    case("claude/github-app", ["Claude"], login="claude[bot]"),
    case("claude/assisted-by", ["Claude"], commits=["Fix\n\nAssisted-by: Claude:claude-opus-4"]),
    case(
        "claude/ticked-disclosure", ["Claude"], body="- [x] This PR was generated with Claude Code"
    ),
    case(
        "claude/NOT-a-human-named-claude",
        [],
        commits=["Pair on parser\n\nCo-authored-by: Claude Dupont <claude.dupont@example.com>"],
    ),
    case(
        "claude/NOT-created-by-a-colleague-claude", [], body="Created by Claude from the data team."
    ),
    case(
        "claude/NOT-a-mention", [], body="Claude suggested this approach in a chat, I rewrote it."
    ),
    case("claude/NOT-negated", [], body="Not generated with Claude Code, all hand-written."),
    case(
        "claude/NOT-in-a-code-block",
        [],
        body="Our template:\n```\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
        + CLAUDE_FOOTER
        + "\n```",
    ),
    case(
        "claude/NOT-inline-or-quoted",
        [],
        body="Strip `Co-Authored-By: Claude <noreply@anthropic.com>` lines.\n> " + CLAUDE_FOOTER,
    ),
    case(
        "claude/NOT-trailer-mid-sentence",
        [],
        commits=["Docs: agents add Co-Authored-By: Claude <noreply@anthropic.com> to commits"],
    ),
    case("claude/NOT-a-login-named-claude", [], login="claude"),
    # --- GitHub Copilot -------------------------------------------------------------------
    case("copilot/coding-agent-author-rest", ["GitHub Copilot"], login="Copilot"),
    case("copilot/coding-agent-author-graphql", ["GitHub Copilot"], login="copilot-swe-agent"),
    case("copilot/coding-agent-bot", ["GitHub Copilot"], login="copilot-swe-agent[bot]"),
    case(
        "copilot/squash-trailer",
        ["GitHub Copilot"],
        commits=[
            "Fix shift (#10595)\n\n---------\n\n"
            "Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>\n"
            "Co-authored-by: NikolajBjorner <3085284+NikolajBjorner@users.noreply.github.com>"
        ],
    ),
    case(
        "copilot/cli-trailer",
        ["GitHub Copilot"],
        commits=["feat: x\n\nCo-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>"],
    ),
    case(
        "copilot/vscode-old-trailer",
        ["GitHub Copilot"],
        commits=["fix\n\nCo-authored-by: Copilot <copilot@github.com>"],
    ),
    case(
        "copilot/agent-pr-body",
        ["GitHub Copilot"],
        body="Thanks for assigning this issue to me.\n\n<!-- START COPILOT CODING AGENT SUFFIX -->\n\n- Fixes #12",
    ),
    case(
        "copilot/agent-logs-trailer",
        ["GitHub Copilot"],
        commits=["x\n\nAgent-Logs-Url: https://github.com/o/r/sessions/1"],
    ),
    case("copilot/assisted-by", ["GitHub Copilot"], commits=["x\n\nAssisted-by: GitHub Copilot"]),
    case(
        "copilot/NOT-fixes-copilot-config",
        [],
        body="Fixes copilot config parsing",
        commits=["Fix copilot.yml loader"],
    ),
    case("copilot/NOT-should-try", [], body="We should try Copilot for this kind of refactor."),
    case("copilot/NOT-negated", [], body="not generated with Copilot"),
    case(
        "copilot/NOT-unticked-checkbox", [], body="- [ ] This PR was generated with GitHub Copilot"
    ),
    case("copilot/NOT-reviewer-mention", [], body="cc @copilot-pull-request-reviewer"),
    # --- Cursor ---------------------------------------------------------------------------
    case(
        "cursor/agent-trailer",
        ["Cursor"],
        commits=["Refactor\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>"],
    ),
    case("cursor/made-with", ["Cursor"], commits=["Fix\n\nMade-with: Cursor"]),
    case(
        "cursor/agent-pr-body",
        ["Cursor"],
        body="<!-- CURSOR_AGENT_PR_BODY_BEGIN -->\nPin each host.",
    ),
    case("cursor/bot-author", ["Cursor"], login="cursor[bot]"),
    case(
        "cursor/NOT-bugbot-summary",
        [],
        body="Adds caching.\n\n<!-- CURSOR_SUMMARY -->\n---\n> [!NOTE]\n> **Low Risk**\n<!-- /CURSOR_SUMMARY -->",
    ),
    case("cursor/NOT-pagination-cursor", [], body="Created a cursor-based paginator for /events."),
    # --- OpenAI Codex ---------------------------------------------------------------------
    case(
        "codex/cloud-task-link",
        ["OpenAI Codex"],
        body="## Testing\n- pytest\n\n------\n[Codex Task](https://chatgpt.com/codex/tasks/task_e_6944)",
    ),
    case(
        "codex/cli-trailer",
        ["OpenAI Codex"],
        commits=["x\n\nCo-authored-by: Codex <noreply@openai.com>"],
    ),
    case("codex/footer", ["OpenAI Codex"], body="Generated with [Codex](https://openai.com/codex)"),
    case("codex/connector-bot", ["OpenAI Codex"], login="chatgpt-codex-connector[bot]"),
    case("codex/NOT-a-mention", [], body="Rename the codex table to glossary."),
    case(
        "codex/NOT-openai-employee",
        [],
        commits=["x\n\nCo-authored-by: Jane Roe <jane@openai.com>"],
    ),
    # --- ChatGPT --------------------------------------------------------------------------
    case(
        "chatgpt/trailer",
        ["ChatGPT"],
        commits=["x\n\nCo-authored-by: ChatGPT <noreply@openai.com>"],
    ),
    case("chatgpt/footer", ["ChatGPT"], body="Written with ChatGPT, reviewed by me."),
    case("chatgpt/NOT-written-with", [], body="This was not written with ChatGPT."),
    case("chatgpt/NOT-asked", [], body="I asked ChatGPT and it was wrong, so I did it by hand."),
    # --- Gemini ---------------------------------------------------------------------------
    case("gemini/trailer", ["Gemini"], commits=["x\n\nCo-Authored-By: Gemini <gemini@google.com>"]),
    case(
        "gemini/code-assist-suggestion",
        ["Gemini"],
        commits=[
            "Apply suggestion\n\nCo-authored-by: gemini-code-assist[bot] "
            "<176961590+gemini-code-assist[bot]@users.noreply.github.com>"
        ],
    ),
    case("gemini/footer", ["Gemini"], body="✨ Generated with Gemini CLI"),
    case("gemini/NOT-googler", [], commits=["x\n\nCo-authored-by: Sam Lee <sam@google.com>"]),
    case("gemini/NOT-mention", [], body="Bump the Gemini model version in config."),
    # --- Jules ----------------------------------------------------------------------------
    case(
        "jules/pr-footer",
        ["Jules"],
        body="Fixes #134\n\n---\n*PR created automatically by Jules for task "
        "[9354602435027741540](https://jules.google.com/task/9354602435027741540) started by @arii*",
    ),
    case("jules/bot-author", ["Jules"], login="google-labs-jules[bot]"),
    case("jules/NOT-a-person-named-jules", [], body="Written by Jules, reviewed by Ana."),
    # --- Devin ----------------------------------------------------------------------------
    case(
        "devin/pr-body",
        ["Devin"],
        body="## Testing\nAll pass.\n\nLink to Devin run: https://app.devin.ai/sessions/d1991f5d\n"
        "Requested by: Nathan (nate@example.com)",
    ),
    case("devin/bot-author", ["Devin"], login="devin-ai-integration[bot]"),
    case(
        "devin/trailer",
        ["Devin"],
        commits=[
            "x\n\nGenerated with [Devin](https://devin.ai)\n\n"
            "Co-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>"
        ],
    ),
    case("devin/NOT-a-person-named-devin", [], body="Created by Devin Logan during the offsite."),
    case(
        "devin/NOT-human-coauthor",
        [],
        commits=["x\n\nCo-authored-by: Devin Logan <devin.logan@example.com>"],
    ),
    case(
        "devin/NOT-negated-link",
        [],
        body="We did not use the Devin run at https://app.devin.ai/sessions/abc",
    ),
    # --- Aider ----------------------------------------------------------------------------
    case(
        "aider/trailer",
        ["Aider"],
        commits=[
            "feat: x\n\nCo-authored-by: aider (anthropic/claude-sonnet-4) <noreply@aider.chat>"
        ],
    ),
    case("aider/subject-prefix", ["Aider"], commits=["aider: Added retry to the client"]),
    case(
        "aider/NOT-mention",
        [],
        body="The aider.conf.yml in the repo root is stale.",
        commits=["Update aider docs link"],
    ),
    # --- Windsurf -------------------------------------------------------------------------
    case(
        "windsurf/bot-trailer",
        ["Windsurf"],
        commits=[
            "x\n\nCo-authored-by: Cascade <189301087+windsurf-bot[bot]@users.noreply.github.com>"
        ],
    ),
    case(
        "windsurf/codeium-trailer",
        ["Windsurf"],
        commits=["x\n\nCo-authored-by: Codeium <noreply@codeium.com>"],
    ),
    case("windsurf/NOT-mention", [], body="Windsurf theme colours for the dashboard."),
    # --- Amazon Q -------------------------------------------------------------------------
    case("amazonq/bot-author", ["Amazon Q"], login="amazon-q-developer[bot]"),
    case(
        "amazonq/trailer",
        ["Amazon Q"],
        commits=[
            "x\n\nCo-authored-by: Amazon Q Developer "
            "<208079219+amazon-q-developer[bot]@users.noreply.github.com>"
        ],
    ),
    case("amazonq/NOT-amazonian", [], commits=["x\n\nCo-authored-by: Pat Kim <patkim@amazon.com>"]),
    case("amazonq/NOT-mention", [], body="Amazon Q reviewed this and found nothing."),
    # --- Sweep ----------------------------------------------------------------------------
    case("sweep/bot-author", ["Sweep"], login="sweep-ai[bot]"),
    case(
        "sweep/pr-body",
        ["Sweep"],
        body="Fixes #4.\n\n---\n\n### 💡 To get Sweep to edit this pull request, you can:\n* Comment below",
    ),
    case("sweep/NOT-parameter-sweep", [], body="Generated by sweep.py over the learning rates."),
    # --- Tabnine --------------------------------------------------------------------------
    case(
        "tabnine/trailer", ["Tabnine"], commits=["x\n\nCo-authored-by: Tabnine <agent@tabnine.com>"]
    ),
    case("tabnine/footer", ["Tabnine"], body="Generated with Tabnine"),
    case("tabnine/NOT-mention", [], body="Remove the Tabnine extension from the devcontainer."),
    # --- OpenCode / Amp / OpenHands / Crush / Kiro / Junie / Replit ------------------------
    case(
        "opencode/footer-and-trailer",
        ["OpenCode"],
        commits=[
            "x\n\n🤖 Generated with [opencode](https://opencode.ai)\nCo-Authored-By: opencode <noreply@opencode.ai>"
        ],
    ),
    case("opencode/NOT-mention", [], body="Compare with opencode before switching."),
    case("amp/trailer", ["Amp"], commits=["x\n\nCo-Authored-By: Amp <amp@ampcode.com>"]),
    case("amp/footer", ["Amp"], body="🤖 Generated with [Amp](https://ampcode.com)"),
    case("amp/NOT-guitar-amp", [], body="Generated by the amp simulator config."),
    case(
        "openhands/trailer",
        ["OpenHands"],
        commits=["x\n\nCo-authored-by: openhands <openhands@all-hands.dev>"],
    ),
    case("openhands/NOT-mention", [], body="OpenHands benchmark numbers are in the wiki."),
    case("crush/footer", ["Crush"], body="💘 Generated with Crush"),
    case("crush/NOT-mention", [], body="Fix the crush of notifications on login."),
    case("kiro/bot-author", ["Kiro"], login="kiro-agent[bot]"),
    case("kiro/NOT-a-person", [], login="kiro"),
    case("junie/trailer", ["Junie"], commits=["x\n\nCo-authored-by: Junie <junie@jetbrains.com>"]),
    case("junie/NOT-a-person", [], commits=["x\n\nCo-authored-by: Junie Park <junie@example.org>"]),
    case("replit/trailer", ["Replit Agent"], commits=["x\n\nReplit-Commit-Author: Agent"]),
    case("replit/NOT-mention", [], body="Removed the .replit file generated when importing."),
    # --- general negatives ----------------------------------------------------------------
    case("NOT/no-ai-was-used", [], body="No AI was used for this change."),
    case(
        "NOT/ai-policy-checkbox-unticked",
        [],
        body="- [ ] Generated with Claude Code\n- [ ] Written by a human",
    ),
    case("NOT/dependabot", [], body="Bumps requests from 2.31 to 2.32.", login="dependabot[bot]"),
    case("NOT/renovate", [], login="renovate[bot]", commits=["chore(deps): update django"]),
    case("NOT/empty", [], body="", commits=[], login=None),
    case("NOT/none-login", [], body="Refactor the sync loop.", login=None),
    case("NOT/plain-human-pair", [], commits=["x\n\nCo-authored-by: Ana <ana@example.com>"]),
    case("NOT/co-author-without-email", [], commits=["x\n\nCo-authored-by: Claude"]),
    case("NOT/person-coauthor-without-email", [], commits=["x\n\nCo-authored-by: Devin"]),
    case(
        "NOT/discussing-detection",
        [],
        body="This PR teaches the detector about Copilot, Cursor and Devin signatures.",
    ),
    # --- multi-tool -----------------------------------------------------------------------
    case(
        "multi/claude-commits-codex-task",
        ["Claude", "OpenAI Codex"],
        body="------\n[Codex Task](https://chatgpt.com/codex/tasks/task_e_1)",
        commits=["x\n\nCo-Authored-By: Claude <noreply@anthropic.com>"],
    ),
    case(
        "multi/copilot-author-plus-cursor-and-aider-commits",
        ["Aider", "Cursor", "GitHub Copilot"],
        login="Copilot",
        commits=[
            "a\n\nCo-authored-by: Cursor <cursoragent@cursor.com>",
            "aider: tidy",
            "c\n\nco-authored-by: Claude Dupont <claude@example.com>",
        ],
    ),
    case(
        "multi/human-pr-with-bugbot-and-claude-footer",
        ["Claude"],
        body=f"Adds a command.\n\n{CLAUDE_FOOTER}\n\n<!-- CURSOR_SUMMARY -->\n> [!NOTE]\n<!-- /CURSOR_SUMMARY -->",
    ),
]


@pytest.mark.parametrize(("body", "commits", "login", "expected"), CASES)
def test_detect_ai_tools(body, commits, login, expected):
    assert detect_ai_tools(body=body, commit_messages=commits, author_login=login) == expected


# Case-id prefix -> the tool its examples are about.
PREFIX_TOOL = {
    "claude": "Claude",
    "copilot": "GitHub Copilot",
    "cursor": "Cursor",
    "codex": "OpenAI Codex",
    "chatgpt": "ChatGPT",
    "gemini": "Gemini",
    "jules": "Jules",
    "devin": "Devin",
    "aider": "Aider",
    "windsurf": "Windsurf",
    "amazonq": "Amazon Q",
    "sweep": "Sweep",
    "tabnine": "Tabnine",
    "opencode": "OpenCode",
    "amp": "Amp",
    "openhands": "OpenHands",
    "crush": "Crush",
    "kiro": "Kiro",
    "junie": "Junie",
    "replit": "Replit Agent",
}


def test_every_tool_has_a_positive_and_a_negative_example():
    assert set(PREFIX_TOOL.values()) == {tool.name for tool in TOOLS}
    for prefix, tool in PREFIX_TOOL.items():
        mine = [p for p in CASES if p.id.split("/", 1)[0] == prefix]
        assert any(p.values[3] == [tool] for p in mine), f"no positive example for {tool}"
        assert any("/NOT-" in p.id and p.values[3] == [] for p in mine), f"no negative for {tool}"


def test_commit_messages_may_be_any_iterable():
    messages = (m for m in ["x\n\nCo-Authored-By: Claude <noreply@anthropic.com>"])
    assert detect_ai_tools(body="", commit_messages=messages, author_login=None) == ["Claude"]


def test_the_result_is_sorted_and_unique():
    result = detect_ai_tools(
        body=CLAUDE_FOOTER + "\n" + CLAUDE_FOOTER,
        commit_messages=["a\n\nCo-Authored-By: Claude <noreply@anthropic.com>"] * 3,
        author_login="devin-ai-integration[bot]",
    )
    assert result == ["Claude", "Devin"]


def test_tool_names_are_unique_and_the_rules_are_explained():
    names = [tool.name for tool in TOOLS]
    assert len(names) == len(set(names))
    assert "Co-authored-by" in ai_detection.EXPLANATION
    assert "does not count" in ai_detection.EXPLANATION

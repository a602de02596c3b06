"""The AI tools we recognise: one entry per tool, each with the public source of its rules."""

from __future__ import annotations

import re
from dataclasses import dataclass


def _gh(slug: str) -> str:
    """A GitHub account's no-reply address, with or without its numeric id prefix."""
    return r"(?:\d+\+)?" + re.escape(slug) + r"@users\.noreply\.github\.com"


@dataclass(frozen=True)
class Tool:
    name: str
    # (name regex or None, e-mail regex) pairs for Co-authored-by / Assisted-by /
    # Generated-by values. The e-mail must match in full; the name, when given, must match
    # at the start of the trailer's name.
    identities: tuple[tuple[str | None, str], ...] = ()
    # The tool's name as written in an attribution footer ("Generated with <alias>") or at
    # the start of an e-mail-less Assisted-by value. None when the name is a common word
    # or a person's name (Devin, Jules, Sweep, Amp...): those tools are found by markers.
    alias: str | None = None
    # Markers the tool writes, searched on each line of the description and commits.
    markers: tuple[str, ...] = ()
    # Commit subjects the tool writes.
    subject_prefixes: tuple[str, ...] = ()
    # PR author logins of the tool's agent account, lower-case.
    bot_logins: tuple[str, ...] = ()


# ONE table for every rule. Order matters only where two tools share a mailbox domain:
# the first tool whose identity matches a trailer takes it (ChatGPT before Codex).
TOOLS: tuple[Tool, ...] = (
    # Claude Code: commit trailer "Co-Authored-By: <model, e.g. Claude Opus 4.5>
    # <noreply@anthropic.com>" and PR footer "🤖 Generated with [Claude Code]
    # (https://claude.com/claude-code)" (older: https://claude.ai/code); web sessions add a
    # https://claude.ai/code/session_... link. Sources: Claude Code "attribution" setting
    # (docs.rs/claude-code-settings Attribution), anthropics/claude-code#14241, #18253,
    # #41873. The Claude GitHub App acts as claude[bot].
    Tool(
        "Claude",
        identities=(
            (None, r"noreply@anthropic\.com"),
            (None, _gh("claude[bot]")),
            (None, _gh("claude")),
        ),
        # "Claude" alone is also a person's name: the footer must say "Claude Code" or a
        # model ("Claude Opus 4"), or be "Claude:<model>" as in an Assisted-by trailer.
        alias=r"claude(?:\s+code|\s+(?:opus|sonnet|haiku)\b|(?=\s*:))",
        markers=(r"claude\.ai/code/session_", r"^claude-session\s*:"),
        bot_logins=("claude[bot]",),
    ),
    # GitHub Copilot. Coding agent: PRs opened by copilot-swe-agent[bot] (REST login
    # "Copilot"), commits by "Copilot <198982749+Copilot@users.noreply.github.com>", squash
    # messages "Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@...>", an
    # "Agent-Logs-Url:" trailer, and PR bodies with "<!-- START COPILOT CODING AGENT
    # SUFFIX -->" / "<!-- START COPILOT CODING AGENT TIPS -->" / "<!-- START COPILOT
    # ORIGINAL PROMPT -->". Copilot CLI and VS Code: "Co-authored-by: Copilot
    # <223556219+Copilot@users.noreply.github.com>" (microsoft/vscode#309951, which replaced
    # the older <copilot@github.com>; community discussion #203517). Accepted review
    # suggestions credit 175728472+Copilot. Sources: github community #179983, PR bodies
    # seen in public repositories (e.g. Z3Prover/z3 squash commits).
    Tool(
        "GitHub Copilot",
        identities=(
            (None, _gh("copilot")),
            (None, _gh("copilot-swe-agent[bot]")),
            (r"copilot", r"copilot@github\.com"),
        ),
        alias=r"(?:github\s+)?copilot(?:\s+(?:coding\s+agent|agent|chat|cli))?",
        markers=(
            r"<!--\s*start copilot (?:coding agent|original prompt)",
            r"^agent-logs-url\s*:",
        ),
        bot_logins=("copilot-swe-agent", "copilot-swe-agent[bot]", "copilot"),
    ),
    # Cursor: "Co-authored-by: Cursor Agent <cursoragent@cursor.com>" (also "Cursor
    # <cursoragent@cursor.com>") and a "Made-with: Cursor" trailer; background/cloud agent
    # PR bodies start with "<!-- CURSOR_AGENT_PR_BODY_BEGIN -->" and link
    # cursor.com/agents/bc-...; the app acts as cursor[bot] (206951365+cursor[bot]).
    # Cursor Bugbot's "<!-- CURSOR_SUMMARY -->" is a review of someone's PR and does NOT
    # count. Sources: public commits and PR bodies (vllm-project/vllm trailers), agent
    # attribution tables in public detectors.
    Tool(
        "Cursor",
        identities=((None, r"cursoragent@cursor\.com"), (None, _gh("cursor[bot]"))),
        alias=r"cursor(?:\s+agent)?",
        markers=(
            r"<!--\s*cursor_agent_pr_body_begin\s*-->",
            r"cursor\.com/(?:agents/bc-|agents\?id=bc-|background-agent\?bcid=)",
            r"^made-with\s*:\s*cursor\b",
        ),
        bot_logins=("cursor[bot]",),
    ),
    # ChatGPT writes no commits itself; people credit it as "Co-authored-by: ChatGPT
    # <...@openai.com>" or "Generated with ChatGPT". Listed before Codex so that a ChatGPT
    # name at an OpenAI address is ChatGPT.
    Tool(
        "ChatGPT",
        identities=((r"chatgpt", r"[^@\s]+@(?:openai|chatgpt)\.com"),),
        alias=r"chatgpt",
    ),
    # OpenAI Codex: Codex CLI adds no attribution by default; when asked it writes
    # "Co-authored-by: Codex <noreply@openai.com>" (openai/codex discussion #9449), some
    # setups a "Generated with [Codex](https://openai.com/codex)" footer. Codex cloud PRs end
    # with "[Codex Task](https://chatgpt.com/codex/tasks/task_e_...)"; its GitHub connector
    # is chatgpt-codex-connector[bot], its agent account openai-code-agent[bot], and the
    # Codex account's address 242516109+Codex@users.noreply.github.com.
    Tool(
        "OpenAI Codex",
        identities=(
            (r"(?:openai\s+)?codex", r"[^@\s]+@openai\.com"),
            (None, r"noreply@openai\.com"),
            (None, _gh("codex")),
            (None, _gh("chatgpt-codex-connector[bot]")),
        ),
        alias=r"(?:openai\s+)?codex(?:\s+cli)?",
        markers=(r"chatgpt\.com/codex/tasks/",),
        bot_logins=(
            "chatgpt-codex-connector",
            "chatgpt-codex-connector[bot]",
            "openai-code-agent",
            "openai-code-agent[bot]",
        ),
    ),
    # Gemini: Gemini CLI writes no trailer of its own; users add "Co-Authored-By: Gemini
    # <gemini@google.com>" (google-gemini/gemini-cli#12419, #25721) or a gemini-cli
    # identity. Gemini Code Assist is credited as gemini-code-assist[bot] when one of its
    # suggestions is committed.
    Tool(
        "Gemini",
        identities=(
            (r"gemini", r"[^@\s]+@google\.com"),
            (None, r"[^@\s]*gemini-cli[^@\s]*@[^@\s]+"),
            (None, _gh("gemini-code-assist[bot]")),
        ),
        alias=r"gemini(?:\s+cli|\s+code\s+assist)?",
        bot_logins=("gemini-code-assist[bot]",),
    ),
    # Jules (Google Labs): PRs end with "*PR created automatically by Jules for task
    # [id](https://jules.google.com/task/id) started by @user*"; the agent account is
    # google-labs-jules[bot] (161369871+google-labs-jules[bot]@users.noreply.github.com).
    # "Jules" alone is a person's name, so there is no alias.
    Tool(
        "Jules",
        identities=((None, _gh("google-labs-jules[bot]")),),
        markers=(r"pr created automatically by jules\b", r"jules\.google\.com/task/"),
        bot_logins=("google-labs-jules", "google-labs-jules[bot]"),
    ),
    # Devin (Cognition): PRs opened by devin-ai-integration[bot] carry "Link to Devin run:
    # https://app.devin.ai/sessions/..." and "Requested by: ..."; commits "Co-Authored-By:
    # Devin AI <158243242+devin-ai-integration[bot]@users.noreply.github.com>" and
    # "Generated with [Devin](https://devin.ai)". "Devin" alone is a person's name.
    Tool(
        "Devin",
        identities=(
            (None, _gh("devin-ai-integration[bot]")),
            (r"devin", r"devin@cognition\.ai"),
        ),
        markers=(
            r"app\.devin\.ai/sessions/",
            r"link to devin run",
            r"generated (?:with|by) \[devin\]\(https://(?:cli\.)?devin\.ai",
        ),
        bot_logins=("devin-ai-integration", "devin-ai-integration[bot]"),
    ),
    # Aider: "Co-authored-by: aider (<model>) <noreply@aider.chat>" (aider.chat/docs/git.html,
    # --attribute-co-authored-by); older versions prefixed commit subjects with "aider: ".
    Tool(
        "Aider",
        identities=((None, r"[^@\s]+@aider\.chat"),),
        alias=r"aider",
        subject_prefixes=("aider: ",),
    ),
    # Windsurf (Codeium; now Devin Desktop): its GitHub app is windsurf-bot[bot]
    # (189301087+windsurf-bot[bot]@users.noreply.github.com); commits also credit Windsurf /
    # Cascade at windsurf.com or codeium.com addresses.
    Tool(
        "Windsurf",
        identities=(
            (None, _gh("windsurf-bot[bot]")),
            (r"(?:windsurf|cascade|codeium)", r"[^@\s]+@(?:windsurf\.(?:com|ai)|codeium\.com)"),
        ),
        alias=r"windsurf(?:\s+cascade)?|codeium",
        bot_logins=("windsurf-bot[bot]",),
    ),
    # Amazon Q Developer for GitHub opens PRs from issues labelled "Amazon Q development
    # agent" or "/q dev" (AWS docs, "Developing features and iterating with Amazon Q
    # Developer in GitHub") as amazon-q-developer[bot]
    # (208079219+amazon-q-developer[bot]@users.noreply.github.com).
    Tool(
        "Amazon Q",
        identities=(
            (None, _gh("amazon-q-developer[bot]")),
            (r"amazon\s+q\b", r"[^@\s]+@amazon\.com"),
        ),
        alias=r"amazon\s+q(?:\s+developer)?",
        bot_logins=("amazon-q-developer", "amazon-q-developer[bot]"),
    ),
    # Sweep: the app github.com/apps/sweep-ai opens PRs as sweep-ai[bot], whose bodies
    # carry "To get Sweep to edit this pull request, you can:" (INSTRUCTIONS_FOR_REVIEW in
    # sweepai/sweep). "Sweep" is an ordinary word, so there is no alias.
    Tool(
        "Sweep",
        identities=((None, _gh("sweep-ai[bot]")),),
        markers=(r"to get sweep to edit this pull request",),
        bot_logins=("sweep-ai", "sweep-ai[bot]"),
    ),
    # Tabnine: no vendor-written commit or PR marker was found (codota/tabnine-pr-agent
    # only reviews); only the user-written conventions are matched.
    Tool(
        "Tabnine",
        identities=((r"tabnine", r"[^@\s]+@tabnine\.com"),),
        alias=r"tabnine",
    ),
    # OpenCode: "🤖 Generated with [opencode](https://opencode.ai)" and "Co-Authored-By:
    # opencode <noreply@opencode.ai>".
    Tool(
        "OpenCode",
        identities=((None, r"noreply@opencode\.ai"),),
        alias=r"opencode",
        bot_logins=("opencode-agent[bot]",),
    ),
    # Amp (Sourcegraph): "🤖 Generated with [Amp](https://ampcode.com)" and
    # "Co-Authored-By: Amp <amp@ampcode.com>".
    Tool(
        "Amp",
        identities=((None, r"amp@ampcode\.com"),),
        markers=(r"generated with \[amp\]\(https://ampcode\.com",),
    ),
    # OpenHands (All Hands AI): "Co-authored-by: openhands <openhands@all-hands.dev>",
    # PRs by openhands-agent.
    Tool(
        "OpenHands",
        identities=((None, r"openhands@all-hands\.dev"),),
        alias=r"openhands",
        bot_logins=("openhands-agent", "openhands-agent[bot]"),
    ),
    # Crush (Charm): "💘 Generated with Crush" and "Co-Authored-By: Crush <crush@charm.land>".
    Tool(
        "Crush",
        identities=((None, r"crush@charm\.land"),),
        markers=(r"generated with crush\b",),
    ),
    # Kiro (AWS; succeeded the Amazon Q Developer CLI): agent account kiro-agent[bot]
    # (245459735+kiro-agent[bot]) and 244629292+kiro-agent.
    Tool(
        "Kiro",
        identities=((None, _gh("kiro-agent")), (None, _gh("kiro-agent[bot]"))),
        bot_logins=("kiro-agent", "kiro-agent[bot]"),
    ),
    # Junie (JetBrains): commits as junie@jetbrains.com.
    Tool("Junie", identities=((None, r"junie@jetbrains\.com"),)),
    # Replit Agent: commits by agent@replit.com with a "Replit-Commit-Author: Agent" trailer.
    Tool(
        "Replit Agent",
        identities=((None, r"agent@replit\.com"),),
        alias=r"replit\s+agent",
        markers=(r"^replit-commit-author\s*:",),
    ),
)

"""Which AI coding tools took part in a pull request.

A pull request is **AI-assisted** when at least one of these holds:

1. **Trailer** - one of its commit messages (or its description) has a line of its own
   ``Co-authored-by: Name <email>`` whose e-mail is an AI tool's identity (for example
   ``noreply@anthropic.com``, ``cursoragent@cursor.com``, or the GitHub no-reply address of
   an agent's account such as ``198982749+Copilot@users.noreply.github.com``). The key is
   case-insensitive (``Co-Authored-By`` too). Where the address is shared with people (an
   ``@google.com`` or ``@openai.com`` mailbox) the name must be the tool's as well. A person
   called Claude with their own address is a person. ``Assisted-by:`` and
   ``Generated-by:`` lines (the Linux kernel / LLVM / Apache convention) count the same
   way. A value without an e-mail counts by the tool's name at its start
   (``Assisted-by: Claude:claude-opus-4``, ``Co-authored-by: GitHub Copilot``), where a
   tool whose name is also a person's needs its product form ("Claude Code", not "Claude";
   Devin, Jules, Junie and Kiro only by address).
2. **Signature** - the description or a commit message carries a line a tool writes:
   an attribution footer at the start of a line (``🤖 Generated with [Claude Code](...)``,
   ``Generated with [opencode](...)``, ``This PR was written with GitHub Copilot``), or a
   tool's own marker anywhere on a line (``Link to Devin run: https://app.devin.ai/...``,
   ``[Codex Task](https://chatgpt.com/codex/tasks/task_...)``, ``<!-- START COPILOT
   CODING AGENT SUFFIX -->``, ``<!-- CURSOR_AGENT_PR_BODY_BEGIN -->``, ``PR created
   automatically by Jules for task ...``), or a commit subject starting ``aider:``.
3. **Bot author** - the pull request was opened by an agent's account
   (``copilot-swe-agent[bot]`` / ``Copilot``, ``devin-ai-integration[bot]``,
   ``google-labs-jules[bot]``, ``chatgpt-codex-connector[bot]``, ``cursor[bot]``...).
   GraphQL logins without the ``[bot]`` suffix are accepted for the unambiguous ones;
   ``cursor`` and ``claude`` are matched only as ``cursor[bot]`` / ``claude[bot]``.

What never counts:

* A mere mention ("we should try Copilot", "Fixes copilot config parsing"): body text
  counts only in the shapes above.
* Negations: an attribution must start its line, so "Not generated with Copilot" or
  "This was not written with ChatGPT" never match, and a marker with a negation earlier on
  its line ("no", "not", "never", "without", "...n't") is ignored.
* Quotations: fenced code blocks, inline code and ``>`` block quotes are skipped, and so
  are unticked checklist items (``- [ ] Generated with Copilot``).
* Review-only bots writing in somebody else's PR: Cursor Bugbot's ``<!-- CURSOR_SUMMARY
  -->`` block, review comments. Non-AI bots (dependabot, renovate...) are not AI.

Every rule lives in ``TOOLS`` (``tools.py``), one entry per tool, each with the public
source it was taken from. ``detect_ai_tools`` (``detect.py``) returns the sorted canonical
names of the tools found.
"""

from .detect import detect_ai_tools
from .tools import TOOLS, Tool

__all__ = ["EXPLANATION", "TOOLS", "Tool", "detect_ai_tools"]

EXPLANATION = (
    "A pull request counts as AI-assisted when a commit carries an AI tool's co-author "
    "trailer (for example 'Co-authored-by: Claude <noreply@anthropic.com>'), when its "
    "description or a commit carries a tool's own signature (such as '🤖 Generated with "
    "Claude Code', a Devin session link or a Codex task link), or when it was opened by an "
    "AI agent's bot account (such as Copilot's or Devin's). Simply mentioning a tool, or "
    "saying one was not used, does not count; neither does a person who happens to share a "
    "tool's name. The tools found are listed on the pull request."
)

"""An optional LLM-written summary of the insights, behind a tiny provider interface.

Only used when `ANTHROPIC_API_KEY` is set; without it the product is complete and no
summary is shown. Tests pass a fake provider and never reach a real one.
"""

import json
import logging
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You are an engineering analytics assistant. Given a team's ranked insights about "
    "their pull-request delivery, write a plain-language summary of at most three short "
    "sentences for the engineering lead: what matters most and one concrete next step. "
    "Use only the numbers given; do not invent figures."
)


class SummaryProvider(Protocol):
    name: str
    model: str

    def summarize(self, *, team_name: str, insights: list[dict]) -> str: ...


class AnthropicProvider:
    """Claude through the Anthropic SDK (synchronous client)."""

    name = "anthropic"

    def __init__(self, *, api_key: str, model: str, timeout: float = 30.0):
        self.api_key, self.model, self.timeout = api_key, model, timeout

    def summarize(self, *, team_name: str, insights: list[dict]) -> str:
        import anthropic

        client = anthropic.Anthropic(api_key=self.api_key, timeout=self.timeout, max_retries=2)
        message = client.messages.create(
            model=self.model,
            max_tokens=400,
            system=SYSTEM_PROMPT,
            messages=[{"role": "user", "content": summary_prompt(team_name, insights)}],
        )
        return "".join(b.text for b in message.content if b.type == "text").strip()


def summary_prompt(team_name: str, insights: list[dict]) -> str:
    return f"Team: {team_name}\nInsights (most important first):\n" + json.dumps(
        insights, indent=1, default=str
    )


def summary_provider_get() -> SummaryProvider | None:
    """The configured provider, or None (no key: no summary)."""
    if not settings.ANTHROPIC_API_KEY:
        return None
    return AnthropicProvider(api_key=settings.ANTHROPIC_API_KEY, model=settings.INSIGHTS_LLM_MODEL)

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from tformance.slack.models import AlertRule, SlackNotificationSettings, Weekday
from tformance.teams.models import time_zone_names

DAYS_BACK_CHOICES = [(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year")]


class PersonalTokenForm(forms.Form):
    token = forms.CharField(
        label="Personal access token",
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="A classic token with the repo and read:org scopes, or a fine-grained "
        "token with read access to the organisation's members, pull requests and contents.",
    )
    organization = forms.CharField(
        label="Organisation",
        max_length=100,
        help_text="Its login as in github.com/<login>, e.g. acme.",
    )

    def clean_organization(self) -> str:
        value = self.cleaned_data["organization"].strip().strip("/")
        value = value.rsplit("/", 1)[-1]
        if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", value):
            raise forms.ValidationError("That is not a GitHub organisation login.")
        return value


class DaysBackForm(forms.Form):
    days_back = forms.TypedChoiceField(
        label="History to import",
        choices=DAYS_BACK_CHOICES,
        coerce=int,
        initial=90,
        widget=forms.RadioSelect,
    )


class HistoryExtendForm(forms.Form):
    """How far back the team's history should reach ("all": every PR ever)."""

    CHOICES = [("180", "180 days"), ("365", "1 year"), ("730", "2 years"), ("all", "Everything")]

    window = forms.ChoiceField(label="Import history back", choices=CHOICES, initial="365")

    def days(self) -> int | None:
        """The window in days; None for the whole history."""
        value = self.cleaned_data["window"]
        return None if value == "all" else int(value)


class JiraForm(forms.Form):
    site_url = forms.CharField(
        label="Jira site",
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "https://acme.atlassian.net"}),
    )
    email = forms.EmailField(label="Your Atlassian account email", max_length=254)
    api_token = forms.CharField(
        label="API token",
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Create one at id.atlassian.com → Security → API tokens.",
    )


class SlackForm(forms.Form):
    webhook_url = forms.CharField(
        label="Incoming-webhook URL",
        max_length=500,
        widget=forms.URLInput(
            attrs={"autocomplete": "off", "placeholder": "https://hooks.slack.com/services/…"}
        ),
        help_text="In Slack: Apps → Incoming Webhooks → Add to Slack, pick a channel, copy the URL.",
    )


def _limits(name: str) -> dict:
    """A rule's bounds, as its model field's validators say (one home for each)."""
    field = SlackNotificationSettings._meta.get_field(name)
    bounds = {}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            bounds["min_value"] = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            bounds["max_value"] = validator.limit_value
    return bounds


class SlackDigestForm(forms.Form):
    """When the weekly digest goes out, on the team's clock."""

    HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]

    digest_enabled = forms.BooleanField(label="Post the weekly digest", required=False)
    digest_weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    digest_hour = forms.TypedChoiceField(label="Hour", choices=HOURS, coerce=int)
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=lambda: [(zone, zone) for zone in time_zone_names()],
        help_text="The team's time zone: the dashboard's weeks start on its Mondays too.",
    )


class SlackRulesForm(forms.Form):
    """The working agreements: each rule on or off, and its threshold."""

    alerts_enabled = forms.BooleanField(label="Post working-agreement alerts", required=False)
    waiting_enabled = forms.BooleanField(label="Waiting for a first review", required=False)
    waiting_hours = forms.IntegerField(label="Hours", **_limits("waiting_hours"))
    xl_enabled = forms.BooleanField(label="XL pull request opened", required=False)
    xl_lines = forms.IntegerField(label="Changed lines", **_limits("xl_lines"))
    unreviewed_enabled = forms.BooleanField(label="Merged without review", required=False)

    # The rule each threshold belongs to.
    THRESHOLDS = {AlertRule.WAITING_FOR_REVIEW: "waiting_hours", AlertRule.XL_OPENED: "xl_lines"}

    def __init__(self, *args, count_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for rule, name in self.THRESHOLDS.items():
            # Each threshold asks for its rule's four-week count as it is typed.
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": f"{count_url}?rule={rule.value}",
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#rule-count-{rule.value}",
                    "hx-sync": "this:replace",
                    "aria-describedby": f"rule-count-{rule.value}",
                }
            )


class RuleCountForm(forms.Form):
    """One rule at a threshold, for its four-week count (the rules form's own fields)."""

    rule = forms.ChoiceField(choices=[(r.value, r.label) for r in SlackRulesForm.THRESHOLDS])
    waiting_hours = forms.IntegerField(required=False, **_limits("waiting_hours"))
    xl_lines = forms.IntegerField(required=False, **_limits("xl_lines"))

    def clean(self):
        cleaned = super().clean()
        rule = cleaned.get("rule")
        if rule is None:
            return cleaned
        name = SlackRulesForm.THRESHOLDS[AlertRule(rule)]
        if name not in self.errors and cleaned.get(name) is None:
            self.add_error(name, "Enter a whole number.")
        return cleaned

    def threshold_error(self) -> str:
        return "; ".join(e for errors in self.errors.values() for e in errors)

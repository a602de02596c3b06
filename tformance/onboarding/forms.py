import re

from django import forms

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

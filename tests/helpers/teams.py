"""Invitations in tests: the password new users choose, the link an email carries."""

import re

PASSWORD = "a-long-enough passphrase"


def emailed_link(message) -> str:
    """The path of the invitation link in an email."""
    return re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body).group(1)

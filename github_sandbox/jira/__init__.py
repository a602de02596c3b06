"""A Jira Cloud REST v3 stand-in, served by the same sandbox server under /rest/api/3/."""

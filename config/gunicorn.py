"""gunicorn settings for the Procfile's `web` process (`--config python:config.gunicorn`).

The access log must not hold secrets that travel in URLs: GitHub's OAuth `code` and
`state` on the callback, and the token of a password-reset link. Both also reach the log
as the Referer of the next request (the callback page's own htmx request, say), so every
place a URL appears in an access-log line is redacted.
"""

from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

from django.urls import resolve
from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# Query parameters whose values are secrets (GitHub's OAuth callback).
SECRET_QUERY_PARAMETERS = frozenset({"code", "state"})
# URL-pattern arguments whose values are secrets (password-reset, sign-up and invitation links).
SECRET_PATH_ARGUMENTS = frozenset({"token"})


def query_redact(query: str) -> str:
    """The query string with the values of secret parameters replaced.

    Other values are redacted as URLs in turn: the log-in page's `next` carries the whole
    URL that sent the user there, the OAuth callback's query included.
    """
    pairs = []
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        if equals and value and unquote_plus(name) in SECRET_QUERY_PARAMETERS:
            pair = f"{name}={REDACTED}"
        elif equals and value:
            inner = unquote_plus(value)
            if (redacted := url_redact(inner)) != inner:
                pair = f"{name}={quote(redacted, safe='/')}"
        pairs.append(pair)
    return "&".join(pairs)


def path_redact(path: str) -> str:
    """The path with the secret arguments of the URL pattern it matches replaced."""
    decoded = unquote(path)
    # Without its trailing slash a link still carries its token (until Django redirects).
    for candidate in (decoded, decoded + "/"):
        try:
            match = resolve(candidate)
            break
        except Exception:  # no match (Resolver404), or Django not set up in this process
            continue
    else:
        return path
    # Loaded by now (the URL conf imports it): the step a reset link redirects to once
    # Django moved its token into the session, which is no secret.
    from django.contrib.auth.views import PasswordResetConfirmView

    public = PasswordResetConfirmView.reset_url_token
    secrets = {
        value
        for name, value in match.kwargs.items()
        if name in SECRET_PATH_ARGUMENTS and value and value != public
    }
    return "/".join(REDACTED if unquote(part) in secrets else part for part in path.split("/"))


def url_redact(url: str) -> str:
    """A URL, absolute or a path with its query, with its secrets replaced."""
    if not url or url == "-":
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=path_redact(parts.path), query=query_redact(parts.query)))


class RedactingLogger(Logger):
    """gunicorn's logger, given redacted copies of the URLs it formats access lines from."""

    def atoms(self, resp, req, environ, request_time):
        environ = {
            **environ,
            "RAW_URI": url_redact(environ.get("RAW_URI", "")),
            "PATH_INFO": path_redact(environ.get("PATH_INFO", "")),
            "QUERY_STRING": query_redact(environ.get("QUERY_STRING", "")),
            "HTTP_REFERER": url_redact(environ.get("HTTP_REFERER", "-")),
        }
        headers = getattr(req, "headers", req)
        headers = [
            (name, url_redact(value) if name.lower() == "referer" else value)
            for name, value in headers
        ]
        return super().atoms(resp, headers, environ, request_time)


logger_class = RedactingLogger

"""GitHub's OAuth web flow, minus the consent screen: authorize redirects straight back."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode

from .responses import Response

# Reference: https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
ERRORS_DOC = (
    "https://docs.github.com/apps/managing-oauth-apps/"
    "troubleshooting-oauth-app-access-token-request-errors/"
)
# Reference: https://docs.github.com/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
TOKEN_ERRORS = {
    "incorrect_client_credentials": (
        "The client_id and/or client_secret passed are incorrect.",
        "#incorrect-client-credentials",
    ),
    "redirect_uri_mismatch": (
        "The redirect_uri MUST match the registered callback URL for this application.",
        "#redirect-uri-mismatch2",
    ),
    "bad_verification_code": ("The code passed is incorrect or expired.", "#bad-verification-code"),
}


def html_page(status: int, text: str) -> Response:
    return Response(
        status, f"<html><body><p>{text}</p></body></html>", content_type="text/html; charset=utf-8"
    )


def authorize(app, query: dict) -> Response:
    client_id, redirect_uri = query.get("client_id"), query.get("redirect_uri")
    apps = app.auth.oauth_apps
    if not client_id or (apps and client_id not in apps):
        return html_page(404, "Not Found")  # GitHub shows its 404 page for unknown clients
    if not redirect_uri:
        return html_page(400, "The redirect_uri is missing.")
    login = query.get("login") or app.world.viewer_login
    if app.world.account(login) is None:
        return html_page(404, f"Unknown sandbox user {login}")
    scopes = [s for s in query.get("scope", "").replace(",", " ").split() if s]
    code = app.auth.issue_code(
        login=app.world.account(login).login,
        scopes=scopes,
        client_id=client_id,
        redirect_uri=redirect_uri,
    )
    params = {"code": code, **({"state": query["state"]} if "state" in query else {})}
    sep = "&" if "?" in redirect_uri else "?"
    return Response(
        302,
        "",
        {"Location": f"{redirect_uri}{sep}{urlencode(params)}"},
        content_type="text/html; charset=utf-8",
    )


def read_fields(body: bytes, content_type: str, query: dict) -> dict:
    fields = dict(query)
    if "json" in content_type:
        try:
            fields.update(json.loads(body or b"{}"))
        except ValueError:
            pass
    else:
        fields.update({k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()})
    return fields


def access_token(app, body: bytes, content_type: str, accept: str, query: dict) -> Response:
    fields = read_fields(body, content_type, query)
    wants_json = "json" in (accept or "")

    def reply(data: dict) -> Response:
        # GitHub answers token errors with HTTP 200 too.
        if wants_json:
            return Response(200, data)
        return Response(
            200, urlencode(data), content_type="application/x-www-form-urlencoded; charset=utf-8"
        )

    def fail(code: str) -> Response:
        description, anchor = TOKEN_ERRORS[code]
        return reply(
            {"error": code, "error_description": description, "error_uri": ERRORS_DOC + anchor}
        )

    apps = app.auth.oauth_apps
    client_id, secret = fields.get("client_id"), fields.get("client_secret")
    if not client_id or (apps and apps.get(client_id) != secret):
        return fail("incorrect_client_credentials")
    grant = app.auth.take_code(fields.get("code"))
    if grant is None or grant["client_id"] != client_id:
        return fail("bad_verification_code")
    if fields.get("redirect_uri") and fields["redirect_uri"] != grant["redirect_uri"]:
        return fail("redirect_uri_mismatch")
    token = app.auth.issue_token(grant["login"], grant["scopes"], prefix="gho_")
    return reply(
        {"access_token": token, "token_type": "bearer", "scope": ",".join(grant["scopes"])}
    )

"""Tokens, OAuth codes and the per-user primary rate-limit windows."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field

DEFAULT_SCOPES = ("repo", "read:org", "read:user", "user:email")


@dataclass
class Token:
    value: str
    login: str
    scopes: tuple[str, ...]
    revoked: bool = False

    def has(self, *any_of: str) -> bool:
        # broader scopes imply narrower ones (`user` covers `read:user`, `admin:org` `read:org`)
        implied = set(self.scopes)
        if "user" in implied:
            implied |= {"read:user", "user:email", "user:follow"}
        if implied & {"admin:org", "write:org"}:
            implied.add("read:org")
        return bool(implied & set(any_of))


@dataclass
class Window:
    started: float
    used: int = 0
    exhausted: bool = False


@dataclass
class AuthStore:
    seed: int = 1
    tokens: dict[str, Token] = field(default_factory=dict)
    codes: dict[str, dict] = field(default_factory=dict)
    oauth_apps: dict[str, str] = field(default_factory=dict)  # client_id -> secret
    windows: dict[tuple[str, str], Window] = field(default_factory=dict)
    _counter: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _secret(self, prefix: str, length: int = 36) -> str:
        self._counter += 1
        digest = hashlib.sha256(f"{self.seed}:{prefix}:{self._counter}".encode()).hexdigest()
        return prefix + digest[:length]

    def issue_token(self, login: str, scopes=DEFAULT_SCOPES, prefix: str = "ghp_") -> str:
        with self._lock:
            value = self._secret(prefix)
            self.tokens[value] = Token(value, login, tuple(scopes))
            return value

    def revoke(self, value: str) -> None:
        with self._lock:
            if value in self.tokens:
                self.tokens[value].revoked = True

    def lookup(self, authorization: str | None) -> Token | None:
        """`Bearer <t>` or `token <t>`; unknown or revoked tokens give None."""
        if not authorization:
            return None
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() not in ("bearer", "token") or not value:
            return None
        token = self.tokens.get(value.strip())
        return None if token is None or token.revoked else token

    # -- OAuth codes -----------------------------------------------------------------------
    def issue_code(self, **grant) -> str:
        with self._lock:
            code = self._secret("", 20)
            self.codes[code] = {**grant, "expires": time.time() + 600}
            return code

    def take_code(self, code: str) -> dict | None:
        """Codes are single use and expire after ten minutes, as on GitHub."""
        with self._lock:
            grant = self.codes.pop(code or "", None)
        if grant is None or grant["expires"] < time.time():
            return None
        return grant

    # -- primary rate limit ----------------------------------------------------------------
    def window(self, login: str, resource: str, seconds: int, from_exhaustion: bool) -> Window:
        now = time.time()
        win = self.windows.get((login, resource))
        # With `from_exhaustion` the budget, not the clock, ends a window.
        ends_by_clock = win is not None and (win.exhausted or not from_exhaustion)
        if win is None or (ends_by_clock and now >= win.started + seconds):
            win = self.windows[(login, resource)] = Window(now)
        return win

    def charge(
        self,
        login: str,
        resource: str,
        points: int,
        limit: int,
        seconds: int,
        from_exhaustion: bool = False,
    ):
        """Spends `points` if the budget allows; returns (ok, limit, remaining, used, reset).

        GitHub's window starts with the first request and resets `seconds` later. With
        `from_exhaustion` (a test knob) it lasts until the budget runs out and resets
        `seconds` after that, so a budget runs out at the same point of a sync on any machine.
        """
        with self._lock:
            win = self.window(login, resource, seconds, from_exhaustion)
            ok = points == 0 or win.used + points <= limit
            if ok:
                win.used += points
            elif from_exhaustion and not win.exhausted:
                win.exhausted, win.started = True, time.time()
            reset = int(win.started + seconds)
            return ok, limit, max(0, limit - win.used), win.used, reset

    def status(
        self, login: str, resource: str, limit: int, seconds: int, from_exhaustion: bool = False
    ):
        return self.charge(login, resource, 0, limit, seconds, from_exhaustion)[1:]

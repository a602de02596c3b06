"""Who holds a sync: this process's identity, and whether a recorded holder is provably gone.

An identity is `host:pid:start`, where `start` is the process's start time in clock ticks
since boot (Linux `/proc/<pid>/stat`), so that a recycled pid is not mistaken for the
holder. Only a holder on this same host can be proven dead; anything else is presumed
alive until its heartbeat goes stale.
"""

import functools
import os
import socket
from pathlib import Path


def _start_ticks(pid: int) -> str | None:
    """The process's start time (field 22 of /proc/<pid>/stat), None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its end.
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":  # a zombie has exited; only its exit status is left to reap
        return None
    return fields[19]


@functools.cache
def _host() -> str:
    return socket.gethostname()


def holder_identity() -> str:
    """This process, as recorded on the claims it takes."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_ticks(pid) or ''}"


def holder_is_gone(identity: str) -> bool:
    """True only when `identity` names a process of this host that no longer runs."""
    parts = identity.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    host, pid, start = parts[0], int(parts[1]), parts[2]
    if host != _host() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it exists, under another user
    current = _start_ticks(pid)
    if current is None:
        # Exited but not reaped (a zombie), or no /proc to tell: gone only if a zombie.
        return Path(f"/proc/{pid}").exists()
    return bool(start) and current != start

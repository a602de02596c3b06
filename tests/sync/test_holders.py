"""Telling a dead holder from a live one: only what this host can prove counts as gone."""

import socket
import subprocess
import sys
import time

from tformance.sync.holders import _start_ticks, holder_identity, holder_is_gone


def identity_of(process) -> str:
    return f"{socket.gethostname()}:{process.pid}:{_start_ticks(process.pid)}"


def test_a_running_process_and_this_one_are_not_gone():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not holder_is_gone(identity_of(process))
        assert not holder_is_gone(holder_identity())
    finally:
        process.kill()
        process.wait()


def test_a_killed_process_is_gone_before_and_after_it_is_reaped():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    identity = identity_of(process)
    process.kill()
    time.sleep(0.2)  # a zombie until reaped
    assert holder_is_gone(identity)
    process.wait()
    assert holder_is_gone(identity)


def test_a_recycled_pid_is_not_mistaken_for_the_holder():
    assert holder_is_gone(f"{socket.gethostname()}:1:-1")  # pid 1 started at another tick


def test_a_holder_on_another_host_or_unreadable_is_presumed_alive():
    assert not holder_is_gone("worker-7.internal:4242:99")
    assert not holder_is_gone("")
    assert not holder_is_gone("nonsense")

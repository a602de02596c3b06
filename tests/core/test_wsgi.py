"""The web process's entry point, as gunicorn loads it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_process_leaves_its_start_up_heap_out_of_garbage_collections():
    # Full collections walked every module and setting again: ~75 ms mid-request.
    script = (
        "import gc, config.wsgi; "
        "print(gc.get_freeze_count() > 10_000, callable(config.wsgi.application))"
    )
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]

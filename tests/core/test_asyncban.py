"""The lint step that keeps Tformance free of async code."""

import subprocess
import sys
from pathlib import Path

from tformance.core.asyncban import async_violations, async_violations_in_source

ROOT = Path(__file__).resolve().parents[2]


def test_it_fails_on_a_file_with_async_def(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("async def fetch():\n    return 1\n")

    result = subprocess.run(
        [sys.executable, "-m", "tformance.core.asyncban", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert f"{bad}:1: async def fetch" in result.stdout


def test_it_passes_on_the_projects_own_code():
    result = subprocess.run(
        [sys.executable, "-m", "tformance.core.asyncban", "config", "tformance"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout


def test_it_names_every_kind_of_async_code():
    source = "\n".join(
        [
            "import asyncio",
            "from asgiref.sync import async_to_sync",
            "from asgiref import sync",
            "import asgiref",
            "x = asgiref.sync.sync_to_async",
            "async def f():",
            "    await g()",
            "    async for a in b: pass",
            "    async with c: pass",
        ]
    )

    found = async_violations_in_source(source, filename="m.py")

    assert found == [
        "m.py:1: import asyncio",
        "m.py:2: from asgiref.sync import ...",
        "m.py:3: from asgiref import ...",
        "m.py:5: asgiref.sync",
        "m.py:6: async def f",
        "m.py:7: await",
        "m.py:8: async for",
        "m.py:9: async with",
    ]


def test_words_in_comments_and_strings_are_not_code():
    source = '# we never use async def or asyncio here\nNOTE = "await nothing"\n'

    assert async_violations_in_source(source) == []


def test_it_reports_a_file_it_cannot_parse(tmp_path):
    (tmp_path / "broken.py").write_text("def (:\n")

    assert "cannot be parsed" in async_violations([tmp_path])[0]

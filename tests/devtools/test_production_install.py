"""Production leaves the development tools out: no devtools app, no sandbox, no graphql-core."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in ("DEBUG", "DEV_TOOLS", "SECRET_KEY", "CRYPTOGRAPHY_KEY", "DATABASE_URL", "REDIS_URL")
}
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "SECRET_KEY": "s",
    "CRYPTOGRAPHY_KEY": "c",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
}
DEV_ONLY_PACKAGES = ("github_sandbox", "graphql")

# Imports every module of the product with Django set up, then lists what got loaded.
IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import django
django.setup()
from django.conf import settings
import tformance
for info in pkgutil.walk_packages(tformance.__path__, "tformance."):
    if not info.name.startswith("tformance.devtools"):
        importlib.import_module(info.name)
print(json.dumps({
    "installed": settings.INSTALLED_APPS,
    "loaded": sorted({m.split(".")[0] for m in sys.modules}),
}))
"""


def run_with(code: str, **env):
    """Runs `code` with production settings (plus `env`); its last line of output, as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**CLEAN, **PRODUCTION, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def installed_apps(**env) -> list[str]:
    return run_with(
        "import json; from django.conf import settings; print(json.dumps(settings.INSTALLED_APPS))",
        **env,
    )


def test_production_settings_do_not_install_the_dev_tools():
    assert "tformance.devtools" not in installed_apps()


def test_debug_installs_the_dev_tools_and_dev_tools_can_say_otherwise():
    assert "tformance.devtools" in installed_apps(DEBUG="1")
    assert "tformance.devtools" not in installed_apps(DEBUG="1", DEV_TOOLS="0")
    assert "tformance.devtools" in installed_apps(DEV_TOOLS="1")


def test_the_test_settings_install_the_dev_tools(settings):
    assert "tformance.devtools" in settings.INSTALLED_APPS


def test_importing_every_product_module_in_production_loads_no_sandbox_and_no_graphql():
    found = run_with(IMPORT_EVERYTHING)

    assert "tformance.devtools" not in found["installed"]
    assert "tformance" in found["loaded"]
    assert [p for p in DEV_ONLY_PACKAGES if p in found["loaded"]] == []


def test_no_product_module_outside_devtools_names_the_sandbox_or_graphql_in_an_import():
    offending = []
    for path in sorted((ROOT / "tformance").rglob("*.py")):
        if path.is_relative_to(ROOT / "tformance" / "devtools"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] in DEV_ONLY_PACKAGES for name in names):
                offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    assert offending == []

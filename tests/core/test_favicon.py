"""Every page has the favicon: every page template is a page of base.html, which links it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EXTENDS = re.compile(r"""{%\s*extends\s+["']([^"']+)["']""")
PARTS = {"core/nav.html"}  # included, not a page


def pages():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if not path.name.startswith("_") and name not in PARTS | {"base.html"}:
            yield name


def base_of(name: str) -> str:
    while (found := EXTENDS.search((TEMPLATES / name).read_text())) is not None:
        name = found.group(1)
    return name


@pytest.mark.parametrize("name", list(pages()))
def test_every_page_template_is_a_page_of_base(name):
    assert base_of(name) == "base.html"


def test_base_links_the_favicon_and_it_exists(client, db):
    page = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")

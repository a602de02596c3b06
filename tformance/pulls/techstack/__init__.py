"""Language and category of a changed file, from its path alone.

Both are computed at sync time for every changed file of every pull request and stored on
the file row (``PRFile.language`` / ``PRFile.category``); the dashboard aggregates them.
They are pure functions of the path, cached, and need no database.

Language
--------
The language comes from ``identify`` (pre-commit's file identification library): it maps
file names (``Dockerfile``, ``Makefile``, ``go.sum``, ``Cargo.lock``, ``Dockerfile.prod``)
and extensions (case-insensitively) to tags such as ``{"text", "python"}``. We do not keep
an extension table of our own; the only table here spells identify's tags as display names
("ts" -> "TypeScript") and says which tag wins when a file has several ("svg" beats
"xml", "toml" beats "cargo-lock"). A tag without a spelling is shown title-cased. A binary
file (identify tags it ``binary``) or a file identify does not know has language ``""``.
One normalisation: ``.env``, ``.env.local`` and ``.env.example`` are looked up as dotenv
files. Windows separators (``src\\app.py``) are read as ``/``.

Category
--------
The first matching rule wins, in this order:

1. ``generated`` - machine-written, wherever it lives: lockfiles (``package-lock.json``,
   ``yarn.lock``, ``pnpm-lock.yaml``, ``poetry.lock``, ``Pipfile.lock``, ``uv.lock``,
   ``go.sum``, any ``*.lock``...), vendored dependency trees (``vendor/``,
   ``node_modules/``, ``bower_components/``), build output (``dist/``, ``generated/``,
   ``__generated__/``), minified bundles and source maps (``*.min.js``, ``*.js.map``),
   generated code (``*_pb2.py``, ``*.pb.go``, ``*.generated.*``, ``*.g.dart``,
   ``*.designer.cs``) and test snapshots (``__snapshots__/``, ``*.snap``). It comes before
   tests so that a Jest snapshot in ``__tests__/`` does not count as written test code.
   Excluded from dashboard totals by default (``EXCLUDED_BY_DEFAULT``).
2. ``tests`` - anything under a test directory (``tests/``, ``test/``, ``__tests__/``,
   ``spec/``, ``testdata/``, ``e2e/``, ``cypress/``...) and test files by name
   (``test_*.py``, ``*_test.py``, ``conftest.py``, ``*_test.go``, ``*.test.tsx``,
   ``*.spec.ts``, ``*.cy.ts``, ``*_spec.rb``, ``FooTest.java``...).
3. ``infra`` - CI (``.github/workflows/``, ``.github/actions/``, ``.gitlab-ci.yml``,
   ``.circleci/``, ``Jenkinsfile``...), containers (Dockerfiles, ``docker-compose*.yml``,
   ``compose.yaml``, ``.dockerignore``), Terraform/HCL, Makefiles, ``Procfile``, shell
   scripts (Shell, PowerShell, batch), and the non-documentation files under ``infra/``,
   ``terraform/``, ``deploy/``, ``k8s/``, ``kubernetes/``, ``helm/``, ``ansible/`` (plus
   YAML and templates under ``charts/``).
4. ``docs`` - Markdown, MDX, reStructuredText, AsciiDoc, TeX and plain text (except
   ``requirements*.txt`` / ``constraints*.txt``), anything under ``docs/`` or ``doc/``,
   and README / LICENSE / CHANGELOG / CONTRIBUTING / AUTHORS / NOTICE files.
5. ``data`` - SQL, CSV/TSV, JSON lines, Parquet, SQLite and spreadsheet files, Jupyter
   notebooks, anything under ``migrations/``, ``db/migrate/``, ``alembic/``,
   ``fixtures/`` or ``seeds/``, and non-code files under ``data/``. Migrations are
   counted as data work (schema changes), not as generated code: they are reviewed and
   often edited by hand.
6. ``config`` - YAML, TOML, INI, JSON, XML, dotenv and properties files outside the
   places above, dotfiles (``.eslintrc``, ``.gitignore``, ``.env.example``...),
   ``*.cfg`` / ``*.conf``, tool configs (``*.config.js``, ``tsconfig.json``...) and
   dependency manifests (``package.json``, ``pyproject.toml``, ``go.mod``,
   ``requirements.txt``, ``Gemfile``, ``setup.py``, ``pom.xml``, ``build.gradle``...).
7. ``frontend`` - TypeScript/JavaScript (and TSX/JSX), CSS and its dialects, HTML, Vue,
   Svelte, Astro, SVG, template languages (Jinja, Handlebars, ERB...), client-app
   languages (Swift, Objective-C, Dart), image and font assets; JS/TS under ``server/``,
   ``backend/``, ``api/``, ``functions/`` or ``lambda/`` is backend instead.
8. ``backend`` - server-side languages: Python, Go, Java, Kotlin, Ruby, Rust, C#, PHP,
   Scala, Elixir, C/C++ and the like, plus GraphQL and Protocol Buffers schemas (frontend
   when under a frontend directory).
9. ``other`` - anything else; a file whose language is unknown is placed by directory
   (``frontend/``, ``web/``, ``static/``... -> frontend; ``server/``, ``backend/`` ->
   backend) before falling here.
"""

from __future__ import annotations

import functools

from .categories import (
    BACKEND,
    CATEGORIES,
    CONFIG,
    DATA,
    DOCS,
    EXCLUDED_BY_DEFAULT,
    FRONTEND,
    GENERATED,
    INFRA,
    OTHER,
    TESTS,
    _category,
)
from .languages import _language_from_tags, _normalise, _tags_for_name

__all__ = [
    "BACKEND",
    "CATEGORIES",
    "CONFIG",
    "DATA",
    "DOCS",
    "EXCLUDED_BY_DEFAULT",
    "EXPLANATION",
    "FRONTEND",
    "GENERATED",
    "INFRA",
    "OTHER",
    "TESTS",
    "file_classify",
]

EXPLANATION = (
    "Each changed file gets a language and a category from its path alone. The language "
    "comes from the file name and extension (Dockerfile, Makefile, .py, .tsx ...); binary "
    "and unknown files have none. The category is the first rule that fits, in this order: "
    "generated (lockfiles, vendored dependencies, build output, minified or generated code, "
    "test snapshots), tests (test folders and test files), infra (CI workflows, Docker, "
    "Terraform, Kubernetes/Helm, Makefiles, shell scripts), docs (Markdown, text, docs "
    "folder, README/LICENSE), data (SQL, CSV, migrations, fixtures, notebooks), config "
    "(YAML, TOML, JSON, INI, dotfiles, dependency manifests), frontend (TypeScript, "
    "JavaScript, CSS, HTML, Vue, templates, assets), backend (Python, Go, Java, Ruby, Rust, "
    "C#, PHP ...), and other. Generated files are left out of totals by default."
)


@functools.lru_cache(maxsize=65536)
def file_classify(path: str) -> tuple[str, str]:
    """(language, category) of a changed file's path; cached per path."""
    norm = _normalise(path)
    name = norm.rsplit("/", 1)[-1]
    tags = _tags_for_name(name)
    language = _language_from_tags(tags)
    return language, _category(norm, name, language, tags)

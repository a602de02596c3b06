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
import re

from identify.identify import tags_from_filename

FRONTEND = "frontend"
BACKEND = "backend"
TESTS = "tests"
INFRA = "infra"
DOCS = "docs"
CONFIG = "config"
DATA = "data"
GENERATED = "generated"
OTHER = "other"

CATEGORIES = (FRONTEND, BACKEND, TESTS, INFRA, DOCS, CONFIG, DATA, GENERATED, OTHER)

# The dashboard leaves these out of totals unless the user asks for them.
EXCLUDED_BY_DEFAULT = frozenset({GENERATED})

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

# --- language -------------------------------------------------------------------------

# identify's tag -> display name. Order is priority: when a file has several tags, the
# first one listed here names it (".h" is tagged {"c", "c++", "header"} and shows as C;
# Cargo.lock is {"cargo-lock", "toml"} and shows as TOML).
_TAG_NAMES: dict[str, str] = {
    "jupyter": "Jupyter Notebook",
    "svg": "SVG",
    "dockerfile": "Dockerfile",
    "makefile": "Makefile",
    "cmake": "CMake",
    "terraform": "Terraform",
    "hcl": "HCL",
    "tsx": "TSX",
    "ts": "TypeScript",
    "jsx": "JSX",
    "javascript": "JavaScript",
    "coffee": "CoffeeScript",
    "vue": "Vue",
    "svelte": "Svelte",
    "astro": "Astro",
    "mdx": "MDX",
    "markdown": "Markdown",
    "rst": "reStructuredText",
    "asciidoc": "AsciiDoc",
    "tex": "TeX",
    "html": "HTML",
    "css": "CSS",
    "scss": "SCSS",
    "sass": "Sass",
    "less": "Less",
    "stylus": "Stylus",
    "python": "Python",
    "pyi": "Python",
    "cython": "Cython",
    "go": "Go",
    "go-mod": "Go Module",
    "go-sum": "Go Checksums",
    "rust": "Rust",
    "java": "Java",
    "kotlin": "Kotlin",
    "scala": "Scala",
    "groovy": "Groovy",
    "ruby": "Ruby",
    "php": "PHP",
    "c#": "C#",
    "c#script": "C#",
    "f#": "F#",
    "f#script": "F#",
    "vb": "Visual Basic",
    "c": "C",
    "c++": "C++",
    "objective-c": "Objective-C",
    "objective-c++": "Objective-C++",
    "swift": "Swift",
    "dart": "Dart",
    "elixir": "Elixir",
    "erlang": "Erlang",
    "clojure": "Clojure",
    "haskell": "Haskell",
    "ocaml": "OCaml",
    "elm": "Elm",
    "lua": "Lua",
    "perl": "Perl",
    "r": "R",
    "julia": "Julia",
    "zig": "Zig",
    "nim": "Nim",
    "crystal": "Crystal",
    "solidity": "Solidity",
    "proto": "Protocol Buffers",
    "graphql": "GraphQL",
    "prisma": "Prisma",
    "shell": "Shell",
    "fish": "Shell",
    "powershell": "PowerShell",
    "batch": "Batchfile",
    "sql": "SQL",
    "csv": "CSV",
    "tsv": "TSV",
    "jinja": "Jinja",
    "handlebars": "Handlebars",
    "mustache": "Mustache",
    "ejs": "EJS",
    "erb": "ERB",
    "pug": "Pug",
    "jade": "Pug",
    "twig": "Twig",
    "liquid": "Liquid",
    "nunjucks": "Nunjucks",
    "gotmpl": "Go Template",
    "gemfile-lock": "Gemfile.lock",
    "yaml": "YAML",
    "toml": "TOML",
    "json5": "JSON5",
    "json": "JSON",
    "ini": "INI",
    "dotenv": "Dotenv",
    "java-properties": "Java Properties",
    "editorconfig": "EditorConfig",
    "gitignore": "Ignore List",
    "dockerignore": "Ignore List",
    "npmignore": "Ignore List",
    "xml": "XML",
    "map": "Source Map",
    "diff": "Diff",
    "plain-text": "Text",
}
_TAG_PRIORITY = {tag: i for i, tag in enumerate(_TAG_NAMES)}

# Tags that say what kind of file it is, not which language.
_KIND_TAGS = frozenset({"text", "binary", "executable", "non-executable", "file", "symlink"})
# Binary tags that mark a front-end asset (images, fonts).
_ASSET_TAGS = frozenset({"image", "icon", "woff", "woff2", "ttf", "otf", "eot"})


def _normalise(path: str) -> str:
    """Forward slashes, no leading ``./`` or ``/``."""
    p = path.replace("\\", "/").strip()
    while p.startswith("./"):
        p = p[2:]
    return p.lstrip("/")


def _basename(path: str) -> str:
    return _normalise(path).rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=8192)
def _tags_for_name(name: str) -> frozenset[str]:
    """identify's tags for a bare file name (cached: names repeat across PRs)."""
    if name.lower().startswith(".env"):
        # .env / .env.local / .env.example are dotenv files; identify only knows "*.env".
        name = "x.env"
    return frozenset(tags_from_filename(name))


def _language_from_tags(tags: frozenset[str]) -> str:
    if not tags or "binary" in tags:
        return ""
    named = [t for t in tags if t in _TAG_PRIORITY]
    if named:
        return _TAG_NAMES[min(named, key=_TAG_PRIORITY.__getitem__)]
    rest = sorted(tags - _KIND_TAGS)
    return rest[0].replace("-", " ").title() if rest else ""


def file_language(path: str) -> str:
    """The file's language name ("Python", "TypeScript", "Dockerfile"...), "" if unknown."""
    return file_classify(path)[0]


def file_category(path: str) -> str:
    """One of ``CATEGORIES`` for the file, by the rules in this module's docstring."""
    return file_classify(path)[1]


@functools.lru_cache(maxsize=65536)
def file_classify(path: str) -> tuple[str, str]:
    """(language, category) of a changed file's path; cached per path."""
    norm = _normalise(path)
    name = norm.rsplit("/", 1)[-1]
    tags = _tags_for_name(name)
    language = _language_from_tags(tags)
    return language, _category(norm, name, language, tags)


# --- category -------------------------------------------------------------------------

_LOCKFILES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "bun.lockb",
        "poetry.lock",
        "pipfile.lock",
        "pdm.lock",
        "uv.lock",
        "cargo.lock",
        "go.sum",
        "go.work.sum",
        "composer.lock",
        "gemfile.lock",
        "podfile.lock",
        "mix.lock",
        "pubspec.lock",
        "flake.lock",
        "packages.lock.json",
        "gradle.lockfile",
        "package.resolved",
        ".terraform.lock.hcl",
        "conda-lock.yml",
    }
)
_VENDORED_DIRS = frozenset({"vendor", "node_modules", "bower_components"})
_BUILD_OUTPUT_DIRS = frozenset({"dist", "generated", "__generated__", "__snapshots__"})
_GENERATED_NAME = re.compile(
    r"""(
        \.min\.(?:js|mjs|cjs|css)$
      | \.(?:js|mjs|cjs|css)\.map$
      | _pb2(?:_grpc)?\.pyi?$
      | \.pb\.(?:go|cc|h|swift|dart)$
      | \.pb\.gw\.go$
      | _pb\.(?:js|ts|d\.ts)$
      | \.g\.dart$
      | \.freezed\.dart$
      | \.designer\.cs$
      | \.snap$
      | \.generated\.
    )""",
    re.VERBOSE,
)

_TEST_DIRS = frozenset(
    {
        "test",
        "tests",
        "__tests__",
        "__mocks__",
        "spec",
        "specs",
        "testdata",
        "test-data",
        "testing",
        "e2e",
        "cypress",
    }
)
_TEST_NAME = re.compile(
    r"""^(?:
        test_[^/]*\.py
      | [^/]*_test\.(?:py|go|rb|rs|exs?|dart|cc|cpp|c|ts|js)
      | conftest\.py
      | tests\.py
      | [^/]*\.(?:test|spec|e2e|cy)\.[cm]?[jt]sx?
      | [^/]*_spec\.rb
    )$""",
    re.VERBOSE,
)
# JUnit / xUnit / PHPUnit style, on the name as written: "UserServiceTest.java" but not
# "Latest.java" or "Contest.kt".
_CLASS_TEST_NAME = re.compile(
    r"^\w*[a-z0-9](?:Test|Tests|Spec)\.(?:java|kt|scala|groovy|cs|php|swift)$"
)

_CI_PREFIXES = (
    ".github/workflows/",
    ".github/actions/",
    ".circleci/",
    ".buildkite/",
    ".gitlab/ci/",
    ".woodpecker/",
)
_INFRA_NAMES = frozenset(
    {
        ".gitlab-ci.yml",
        ".travis.yml",
        "azure-pipelines.yml",
        "bitbucket-pipelines.yml",
        "appveyor.yml",
        ".drone.yml",
        "cloudbuild.yaml",
        "jenkinsfile",
        "procfile",
        "vagrantfile",
        "tiltfile",
        "skaffold.yaml",
        "fly.toml",
        "render.yaml",
        "heroku.yml",
        "netlify.toml",
        "vercel.json",
        "chart.yaml",
        "helmfile.yaml",
        "kustomization.yaml",
        "kustomization.yml",
        ".dockerignore",
        "containerfile",
    }
)
_COMPOSE_NAME = re.compile(r"^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$")
_INFRA_LANGUAGES = frozenset(
    {"Dockerfile", "Terraform", "HCL", "Makefile", "CMake", "Shell", "PowerShell", "Batchfile"}
)
_INFRA_DIRS = frozenset(
    {
        "infra",
        "infrastructure",
        "terraform",
        "deploy",
        "deployment",
        "deployments",
        "k8s",
        "kubernetes",
        "helm",
        "ansible",
        ".devcontainer",
    }
)

_DOC_LANGUAGES = frozenset({"Markdown", "MDX", "reStructuredText", "AsciiDoc", "TeX", "Text"})
_DOC_DIRS = frozenset({"docs", "doc", "documentation"})
_DOC_STEMS = frozenset(
    {
        "readme",
        "license",
        "licence",
        "changelog",
        "changes",
        "history",
        "contributing",
        "authors",
        "contributors",
        "notice",
        "copying",
        "code_of_conduct",
        "security",
    }
)
_DEPENDENCY_LIST = re.compile(r"^(?:requirements|constraints)[\w.-]*\.(?:txt|in)$")

_DATA_LANGUAGES = frozenset({"SQL", "CSV", "TSV", "Jupyter Notebook"})
_DATA_EXTENSIONS = frozenset(
    {
        ".sql",
        ".csv",
        ".tsv",
        ".jsonl",
        ".ndjson",
        ".parquet",
        ".avro",
        ".sqlite",
        ".sqlite3",
        ".db",
        ".xls",
        ".xlsx",
        ".dump",
    }
)
_DATA_DIRS = frozenset({"migrations", "migrate", "alembic", "fixtures", "seeds", "seed"})
_DATA_SOFT_DIRS = frozenset({"data", "datasets"})  # only for files that are not code
_DATA_NAMES = frozenset({"seeds.rb", "seeds.py", "schema.rb", "structure.sql"})

_CONFIG_LANGUAGES = frozenset(
    {
        "YAML",
        "TOML",
        "INI",
        "JSON",
        "JSON5",
        "XML",
        "Dotenv",
        "Java Properties",
        "EditorConfig",
        "Ignore List",
        "Go Module",
    }
)
_CONFIG_NAMES = frozenset(
    {
        "package.json",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "manifest.in",
        "pipfile",
        "gemfile",
        "brewfile",
        "podfile",
        "cargo.toml",
        "composer.json",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "settings.gradle",
        "settings.gradle.kts",
        "gradle.properties",
        "codeowners",
    }
)
_TOOL_CONFIG_NAME = re.compile(r"(?:\.config\.[cm]?[jt]s|rc\.[cm]?js|\.cfg|\.conf|\.ini)$")

_FRONTEND_LANGUAGES = frozenset(
    {
        "TypeScript",
        "TSX",
        "JavaScript",
        "JSX",
        "CoffeeScript",
        "Elm",
        "CSS",
        "SCSS",
        "Sass",
        "Less",
        "Stylus",
        "HTML",
        "Vue",
        "Svelte",
        "Astro",
        "SVG",
        "Jinja",
        "Handlebars",
        "Mustache",
        "EJS",
        "ERB",
        "Pug",
        "Twig",
        "Liquid",
        "Nunjucks",
        "Go Template",
        "Swift",
        "Objective-C",
        "Objective-C++",
        "Dart",
    }
)
_SCRIPT_LANGUAGES = frozenset({"TypeScript", "TSX", "JavaScript", "JSX"})
_FRONTEND_DIRS = frozenset(
    {"frontend", "web", "client", "ui", "static", "public", "assets", "templates", "components"}
)
_BACKEND_DIRS = frozenset({"backend", "server", "api", "functions", "lambda", "lambdas"})
_BACKEND_LANGUAGES = frozenset(
    {
        "Python",
        "Cython",
        "Go",
        "Rust",
        "Java",
        "Kotlin",
        "Scala",
        "Groovy",
        "Ruby",
        "PHP",
        "C#",
        "F#",
        "Visual Basic",
        "C",
        "C++",
        "Elixir",
        "Erlang",
        "Clojure",
        "Haskell",
        "OCaml",
        "Lua",
        "Perl",
        "R",
        "Julia",
        "Zig",
        "Nim",
        "Crystal",
        "Solidity",
        "Prisma",
    }
)
_SCHEMA_LANGUAGES = frozenset({"GraphQL", "Protocol Buffers"})


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def _category(norm: str, name: str, language: str, tags: frozenset[str]) -> str:
    lower = norm.lower()
    lname = name.lower()
    dirs = set(lower.split("/")[:-1])
    stem = lname.split(".", 1)[0]

    # 1. generated
    if (
        lname in _LOCKFILES
        or lname.endswith((".lock", ".lockb"))
        or dirs & _VENDORED_DIRS
        or dirs & _BUILD_OUTPUT_DIRS
        or _GENERATED_NAME.search(lname)
    ):
        return GENERATED

    # 2. tests
    if dirs & _TEST_DIRS or _TEST_NAME.match(lname) or _CLASS_TEST_NAME.match(name):
        return TESTS

    # 3. infra
    is_doc_language = language in _DOC_LANGUAGES
    if (
        lower.startswith(_CI_PREFIXES)
        or lname in _INFRA_NAMES
        or _COMPOSE_NAME.match(lname)
        or language in _INFRA_LANGUAGES
        or (dirs & _INFRA_DIRS and not is_doc_language)
        or ("charts" in dirs and (language == "YAML" or lname.endswith(".tpl")))
    ):
        return INFRA

    # 4. docs
    dependency_list = bool(_DEPENDENCY_LIST.match(lname))
    if (
        dirs & _DOC_DIRS
        or (is_doc_language and not dependency_list)
        or (stem in _DOC_STEMS and (not language or is_doc_language))
    ):
        return DOCS

    # 5. data
    is_code = language in _FRONTEND_LANGUAGES or language in _BACKEND_LANGUAGES
    if (
        language in _DATA_LANGUAGES
        or _extension(lname) in _DATA_EXTENSIONS
        or dirs & _DATA_DIRS
        or lname in _DATA_NAMES
        or (dirs & _DATA_SOFT_DIRS and not is_code)
    ):
        return DATA

    # 6. config
    if (
        dependency_list
        or lname in _CONFIG_NAMES
        or language in _CONFIG_LANGUAGES
        or lname.startswith(".")
        or _TOOL_CONFIG_NAME.search(lname)
    ):
        return CONFIG

    # 7. frontend / 8. backend
    if language in _FRONTEND_LANGUAGES:
        if language in _SCRIPT_LANGUAGES and dirs & _BACKEND_DIRS and not dirs & _FRONTEND_DIRS:
            return BACKEND
        return FRONTEND
    if language in _BACKEND_LANGUAGES:
        return BACKEND
    if tags & _ASSET_TAGS:
        return FRONTEND
    if language in _SCHEMA_LANGUAGES:
        return FRONTEND if dirs & _FRONTEND_DIRS else BACKEND

    # 9. unknown language: place by directory, else other
    if dirs & _FRONTEND_DIRS:
        return FRONTEND
    if dirs & _BACKEND_DIRS:
        return BACKEND
    return OTHER

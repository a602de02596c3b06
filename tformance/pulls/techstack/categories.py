"""A file's category from path conventions: the rules of the package docstring, in order."""

from __future__ import annotations

import re

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

# Binary tags that mark a front-end asset (images, fonts).
_ASSET_TAGS = frozenset({"image", "icon", "woff", "woff2", "ttf", "otf", "eot"})

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

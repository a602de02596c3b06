"""Language and category of a changed file, from its path: one table, one row per path."""

import time

import pytest

from tformance.pulls import techstack
from tformance.pulls.techstack import (
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
    file_classify,
    languages,
)

# path -> (language, category)
CASES = [
    # backend code
    ("src/app/main.py", "Python", BACKEND),
    ("tformance/pulls/models.py", "Python", BACKEND),
    ("pkg/server/handler.go", "Go", BACKEND),
    ("cmd/tool/main.go", "Go", BACKEND),
    ("app/models/user.rb", "Ruby", BACKEND),
    ("lib/parser.rs", "Rust", BACKEND),
    ("src/main/java/com/acme/Latest.java", "Java", BACKEND),
    ("src/Billing/Invoice.cs", "C#", BACKEND),
    ("app/Http/Controllers/UserController.php", "PHP", BACKEND),
    ("service/src/main/kotlin/App.kt", "Kotlin", BACKEND),
    ("include/buffer.h", "C", BACKEND),
    ("src/engine.cpp", "C++", BACKEND),
    ("server/index.js", "JavaScript", BACKEND),
    ("schema.graphql", "GraphQL", BACKEND),
    ("proto/user.proto", "Protocol Buffers", BACKEND),
    ("manage.py", "Python", BACKEND),
    # frontend
    ("web/src/App.tsx", "TSX", FRONTEND),
    ("frontend/src/api/client.ts", "TypeScript", FRONTEND),
    ("src/components/charts/BarChart.jsx", "JSX", FRONTEND),
    ("static/css/site.css", "CSS", FRONTEND),
    ("styles/main.scss", "SCSS", FRONTEND),
    ("templates/base.html", "HTML", FRONTEND),
    ("src/components/Modal.vue", "Vue", FRONTEND),
    ("src/routes/+page.svelte", "Svelte", FRONTEND),
    ("src/types/index.d.ts", "TypeScript", FRONTEND),
    ("assets/logo.png", "", FRONTEND),
    ("assets/icons/menu.svg", "SVG", FRONTEND),
    ("public/fonts/Inter.woff2", "", FRONTEND),
    ("web/schema.graphql", "GraphQL", FRONTEND),
    ("ios/App/AppDelegate.swift", "Swift", FRONTEND),
    # tests (before everything but generated)
    ("tests/pulls/test_techstack.py", "Python", TESTS),
    ("app/test_views.py", "Python", TESTS),
    ("app/views_test.py", "Python", TESTS),
    ("conftest.py", "Python", TESTS),
    ("pkg/server/handler_test.go", "Go", TESTS),
    ("web/src/App.test.tsx", "TSX", TESTS),
    ("src/components/Button.spec.ts", "TypeScript", TESTS),
    ("src/__tests__/util.js", "JavaScript", TESTS),
    ("cypress/e2e/login.cy.ts", "TypeScript", TESTS),
    ("spec/models/user_spec.rb", "Ruby", TESTS),
    ("src/test/java/com/acme/UserServiceTest.java", "Java", TESTS),
    ("tests/fixtures/users.json", "JSON", TESTS),
    ("pkg/parser/testdata/input.txt", "Text", TESTS),
    # generated: lockfiles keep the library's language (or none) but are generated
    ("package-lock.json", "JSON", GENERATED),
    ("frontend/yarn.lock", "", GENERATED),
    ("pnpm-lock.yaml", "YAML", GENERATED),
    ("poetry.lock", "TOML", GENERATED),
    ("Pipfile.lock", "JSON", GENERATED),
    ("Cargo.lock", "TOML", GENERATED),
    ("go.sum", "Go Checksums", GENERATED),
    ("composer.lock", "", GENERATED),
    ("Gemfile.lock", "Gemfile.lock", GENERATED),
    ("uv.lock", "TOML", GENERATED),
    ("static/js/app.min.js", "JavaScript", GENERATED),
    ("static/js/app.js.map", "Source Map", GENERATED),
    ("vendor/github.com/pkg/errors/errors.go", "Go", GENERATED),
    ("node_modules/react/index.js", "JavaScript", GENERATED),
    ("dist/bundle.js", "JavaScript", GENERATED),
    ("api/v1/user_pb2.py", "Python", GENERATED),
    ("api/v1/user.pb.go", "Go", GENERATED),
    ("src/graphql/types.generated.ts", "TypeScript", GENERATED),
    ("src/__tests__/__snapshots__/App.test.tsx.snap", "", GENERATED),
    # infra
    (".github/workflows/ci.yml", "YAML", INFRA),
    (".github/actions/setup/action.yml", "YAML", INFRA),
    (".gitlab-ci.yml", "YAML", INFRA),
    ("Dockerfile", "Dockerfile", INFRA),
    ("docker/Dockerfile.prod", "Dockerfile", INFRA),
    ("services/api.Dockerfile", "Dockerfile", INFRA),
    ("docker-compose.yml", "YAML", INFRA),
    ("docker-compose.override.yml", "YAML", INFRA),
    ("compose.yaml", "YAML", INFRA),
    ("infra/modules/vpc/main.tf", "Terraform", INFRA),
    ("terraform/prod.tfvars", "Terraform", INFRA),
    ("charts/app/templates/deployment.yaml", "YAML", INFRA),
    ("k8s/ingress.yaml", "YAML", INFRA),
    ("Makefile", "Makefile", INFRA),
    ("CMakeLists.txt", "CMake", INFRA),
    ("Procfile", "", INFRA),
    ("Jenkinsfile", "Groovy", INFRA),
    (".dockerignore", "Ignore List", INFRA),
    ("scripts/deploy.sh", "Shell", INFRA),
    ("scripts/setup.ps1", "PowerShell", INFRA),
    # docs
    ("README.md", "Markdown", DOCS),
    ("README.MD", "Markdown", DOCS),
    ("README", "Text", DOCS),
    ("LICENSE", "Text", DOCS),
    ("CHANGELOG", "Text", DOCS),
    ("docs/guide/index.rst", "reStructuredText", DOCS),
    ("docs/conf.py", "Python", DOCS),
    ("docs/café menu.md", "Markdown", DOCS),
    (".github/PULL_REQUEST_TEMPLATE.md", "Markdown", DOCS),
    ("infra/README.md", "Markdown", DOCS),
    ("notes/meeting notes 2024.txt", "Text", DOCS),
    # data
    ("db/schema.sql", "SQL", DATA),
    ("data/users.csv", "CSV", DATA),
    ("fixtures/users.json", "JSON", DATA),
    ("tformance/pulls/migrations/0001_initial.py", "Python", DATA),
    ("db/migrate/20240101120000_create_users.rb", "Ruby", DATA),
    ("notebooks/churn analysis.ipynb", "Jupyter Notebook", DATA),
    ("exports/events.jsonl", "", DATA),
    # config
    ("requirements.txt", "Text", CONFIG),
    ("requirements-dev.txt", "Text", CONFIG),
    ("pyproject.toml", "TOML", CONFIG),
    ("setup.cfg", "INI", CONFIG),
    ("setup.py", "Python", CONFIG),
    ("package.json", "JSON", CONFIG),
    ("tsconfig.json", "JSON", CONFIG),
    ("vite.config.ts", "TypeScript", CONFIG),
    (".eslintrc.js", "JavaScript", CONFIG),
    (".eslintrc", "", CONFIG),
    (".env.example", "Dotenv", CONFIG),
    (".env", "Dotenv", CONFIG),
    (".gitignore", "Ignore List", CONFIG),
    (".editorconfig", "EditorConfig", CONFIG),
    (".pre-commit-config.yaml", "YAML", CONFIG),
    (".github/dependabot.yml", "YAML", CONFIG),
    ("config/settings.yaml", "YAML", CONFIG),
    ("go.mod", "Go Module", CONFIG),
    ("Gemfile", "Ruby", CONFIG),
    ("build.gradle.kts", "Kotlin", CONFIG),
    ("pom.xml", "XML", CONFIG),
    # unicode, spaces, deep and Windows-looking paths
    ("src/日本語/ファイル.py", "Python", BACKEND),
    ("src/my module/some file.ts", "TypeScript", FRONTEND),
    ("a/b/c/d/e/f/g/h/i/j/k/l/m/deep.go", "Go", BACKEND),
    ("src\\app\\views.py", "Python", BACKEND),
    ("C:\\Users\\dev\\project\\tests\\test_api.py", "Python", TESTS),
    ("./src/App.TSX", "TSX", FRONTEND),
    ("STYLE.CSS", "CSS", FRONTEND),
    # nothing to go by
    ("bin/run", "", OTHER),
    ("NOTES", "", OTHER),
    ("tools/blob.bin", "", OTHER),
]


@pytest.mark.parametrize(("path", "language", "category"), CASES, ids=[c[0] for c in CASES])
def test_a_path_gets_its_language_and_category(path, language, category):
    assert file_classify(path) == (language, category)


def test_the_table_covers_every_category():
    assert {category for _, _, category in CASES} == set(CATEGORIES)
    assert len(CASES) >= 60


def test_categories_fit_the_column_and_languages_too():
    assert all(len(c) <= 20 for c in CATEGORIES)
    assert all(len(language) <= 50 for _, language, _ in CASES)
    assert all(len(name) <= 50 for name in languages._TAG_NAMES.values())


def test_generated_files_are_left_out_of_totals_by_default():
    assert EXCLUDED_BY_DEFAULT == {GENERATED}


def test_the_rules_are_explained_in_plain_language():
    assert "generated" in techstack.EXPLANATION
    assert "Generated files are left out" in techstack.EXPLANATION
    assert "Precedence" in techstack.__doc__ or "first matching rule wins" in techstack.__doc__


def test_an_empty_or_odd_path_never_raises():
    for path in ("", "/", "///", ".", "..", "a/", " "):
        language, category = file_classify(path)
        assert category in CATEGORIES


def test_results_are_cached_per_path():
    file_classify.cache_clear()
    file_classify("src/cached/module.py")
    file_classify("src/cached/module.py")
    assert file_classify.cache_info().hits >= 1


def test_ten_thousand_distinct_paths_classify_quickly():
    names = ["main.py", "App.tsx", "handler_test.go", "ci.yml", "README.md", "yarn.lock", "x.png"]
    paths = [f"src/pkg{i}/{names[i % len(names)]}" for i in range(10_000)]
    file_classify.cache_clear()
    started = time.perf_counter()
    for path in paths:
        file_classify(path)
    # ~150k calls/s measured cold; a generous bound that still catches an accidental
    # per-call library scan.
    assert time.perf_counter() - started < 2.0

"""A file's language from its name, through identify's tags (see the package docstring)."""

from __future__ import annotations

import functools

from identify.identify import tags_from_filename

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


def _normalise(path: str) -> str:
    """Forward slashes, no leading ``./`` or ``/``."""
    p = path.replace("\\", "/").strip()
    while p.startswith("./"):
        p = p[2:]
    return p.lstrip("/")


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

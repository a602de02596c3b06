"""What the benchmark scripts share: Django on an empty, migrated database; their figures."""

import os


def django_setup(database_url: str) -> None:
    """Point Django at `database_url` and set it up (no migration: a worker's start)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def django_setup_on_empty_database(database_url: str) -> None:
    """Point Django at `database_url` (created if missing), migrate it and empty it."""
    if database_url.startswith("postgres"):
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    django_setup(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


SIGNS = {"lower": "≤", "below": "<", "higher": "≥"}


def figure(
    name: str, value, *, floor=None, better: str = "lower", unit: str = "", note: str = ""
) -> dict:
    """One row of `make bench`'s table: a measured value and, if it has one, its floor.

    `better` says which side of the floor passes: "lower" (value <= floor), "below"
    (value < floor) or "higher" (value >= floor).
    """
    passed = None
    if floor is not None and value is not None:
        passed = {"lower": value <= floor, "below": value < floor, "higher": value >= floor}[better]
    return {
        "name": name,
        "value": value,
        "floor": floor,
        "better": better,
        "unit": unit,
        "passed": passed,
        "note": note,
    }


def figures_print(figures: list[dict]) -> None:
    width = max((len(f["name"]) for f in figures), default=10)
    print(f"{'figure':<{width}}  {'now':>10}  {'floor':>12}  result")
    for f in figures:
        floor = f"{SIGNS[f['better']]} {f['floor']}" if f["floor"] is not None else ""
        result = {True: "pass", False: "FAIL", None: ""}[f["passed"]]
        value = "—" if f["value"] is None else f["value"]
        print(f"{f['name']:<{width}}  {value!s:>10}  {floor:>12}  {result}  {f['note']}")


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc), None if unreadable.

    The machine the benchmarks run on may be shared: a sync's CPU seconds (its process, its
    PostgreSQL backend, the sandbox) bound what its wall time would be on an idle machine.
    """
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

"""Static files as production serves them: hashed and compressed by whitenoise."""

import pytest
from django.core.management import call_command

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STORAGES = PRODUCTION_STORAGES
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    return tmp_path


def test_collectstatic_with_the_production_storage_hashes_every_file(production_static):
    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (production_static / "staticfiles.json").read_text()
    for name in ("css/app.css", "js/dashboard.js", "vendor/chartjs/chart.umd.min.js"):
        assert f'"{name}"' in manifest
    hashed = list((production_static / "vendor" / "chartjs").glob("chart.umd.min.*.js"))
    assert hashed, "the vendored Chart.js has no hashed copy"

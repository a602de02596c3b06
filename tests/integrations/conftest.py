from tests.helpers.stub_http import http_stub  # noqa: F401

from tests.integrations.stub_http import http_stub  # noqa: F401

from tests.helpers.stub_http import http_stub  # noqa: F401
from tests.helpers.web import watched_page  # noqa: F401

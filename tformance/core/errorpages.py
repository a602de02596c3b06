"""The product's 404 and 500 pages in the demo, where DEBUG is on.

With DEBUG on, Django answers a 404 or an uncaught exception with its technical pages
(the URL patterns, a traceback), whatever `handler404`/`handler500` say. That helps a
developer and bewilders someone trying the product, so with `PRODUCT_ERROR_PAGES` (set by
`make demo`) this middleware answers with the pages production shows instead. The
traceback still reaches the log: Django logs the exception before this sees the response.
"""

from django.conf import settings
from django.http import Http404
from django.views.defaults import page_not_found, server_error


class ProductErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not (settings.DEBUG and settings.PRODUCT_ERROR_PAGES):
            return response
        if response.status_code == 404:
            return page_not_found(request, Http404())
        if response.status_code == 500:
            return server_error(request)
        return response

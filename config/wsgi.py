import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def heap_freeze() -> None:
    """Leave what is loaded now out of every later garbage collection.

    The modules, URL patterns and settings loaded at start live as long as the process; left
    in the collector's oldest generation, each full collection walks them all again, about
    75 ms in the middle of a request every few dozen requests. Frozen, a full collection
    walks what requests left behind, and a worker forked after the freeze shares those pages
    with its parent instead of copying them as the collector touches them.
    Reference: https://docs.python.org/3/library/gc.html#gc.freeze
    """
    gc.collect()
    gc.freeze()


heap_freeze()

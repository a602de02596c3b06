"""`python -m github_sandbox --port 8765 [flags]`: serve the sandbox until Ctrl-C."""

import argparse
import sys

from .cli import add_arguments, serve

parser = argparse.ArgumentParser(
    prog="python -m github_sandbox",
    description="Serve the offline GitHub sandbox (REST + GraphQL + OAuth) until interrupted.",
)
add_arguments(parser)
serve(vars(parser.parse_args()), out=sys.stdout)

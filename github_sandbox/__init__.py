"""Offline GitHub sandbox: a WSGI app speaking GitHub's REST and GraphQL APIs on 127.0.0.1.

Plain Python (graphql-core and the standard library); see README.md in this folder.
"""

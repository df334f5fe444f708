"""Review in the browser: ``cli.py review OUTDIR`` serves a finished job's cases on this computer.

:mod:`.app` builds the Starlette app, :mod:`.cases` the queue and one case's view, :mod:`.store`
writes decisions under a file lock, :mod:`.security` checks the access token and sets the
headers, :mod:`.server` runs it with uvicorn. Templates and the script ship in the package.
"""

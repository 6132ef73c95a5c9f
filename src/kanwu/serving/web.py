"""`python -m kanwu.serving.web ARGS`: granian's command line, kanwu loaded first.

granian starts its workers by forking its main process (on Linux, with Python's default
"fork" start method). With the RSGI front imported here, before granian forks, every worker
inherits Django already set up and finds the application in `sys.modules`: a worker that
replaces a dead one serves in a fraction of a second instead of the seconds an import takes
on a busy machine. Importing opens no database connection and starts no thread (the front's
pool starts its threads on the first request), so nothing a worker must not share is forked.
"""

from __future__ import annotations

import runpy

import kanwu.serving.rsgi  # noqa: F401 (loaded for the workers to inherit)

if __name__ == "__main__":
    runpy.run_module("granian", run_name="__main__", alter_sys=True)

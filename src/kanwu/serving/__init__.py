"""How `kanwu serve` runs the site: the RSGI front (`rsgi.py`), granian's command line with
that front preloaded (`web.py`) and the supervisor (`supervisor.py`). A plain package, not a
Django app."""

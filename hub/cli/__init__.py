"""The command line: ``hub check|fetch|build|serve|tokens|report|audit|hide|feed``, a thin layer
over the stages.

Owns argument parsing (``arguments``) and dispatch (``main``), what each
command does (``commands``), the options and exit codes (``options``), how
much a run says and in what colour (``messages``), what fetches and builds
print (``console``), the run report (``report``), ``hub check``'s JSON and
SARIF documents (``sarif``), ``hub fetch --only`` (``selection``),
``hub feed`` (``feedcmd``), the preview server (``serve``) and its live
reload (``livereload``), the report of ``hub tokens`` (``tokens``), the
governance report (``governance``), and ``hub audit`` (``audit``).

May import: anything; nothing imports it but ``hub.__main__`` and ``build.py``.
"""

"""The command line: ``hub check|fetch|build|serve|tokens|audit``, a thin layer over the stages.

Owns argument parsing and dispatch (``main``), what each command does
(``commands``), the options and exit codes (``options``), what runs print
(``console``), the run report (``report``), the preview server (``serve``)
and the report of ``hub tokens`` (``tokens``), the governance report
(``governance``), and ``hub audit`` (``audit``).

May import: anything; nothing imports it but ``hub.__main__`` and ``build.py``.
"""

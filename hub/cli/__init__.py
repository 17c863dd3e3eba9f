"""The command line: ``hub check|fetch|build|serve``, a thin layer over the stages.

Owns argument parsing and exit codes (``main``), what runs print (``console``),
the run report (``report``) and the preview server (``serve``).

May import: anything; nothing imports it but ``hub.__main__``.
"""

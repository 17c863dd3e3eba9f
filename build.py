"""Build the site: ``python build.py`` is ``hub build`` with the same options."""

import sys

from hub.cli.main import build_command

if __name__ == "__main__":
    sys.exit(build_command())

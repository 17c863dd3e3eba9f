"""Build the site: ``python build.py`` is ``hub build`` with the same options."""

import sys

from hub.cli import build_main

if __name__ == "__main__":
    sys.exit(build_main())

"""``python -m hub`` is the ``hub`` command."""

import sys

from hub.cli.main import command

# The guard matters: parse workers start by importing the main module.
if __name__ == "__main__":
    sys.exit(command())

"""`python -m eval run | bench | reproduce | cluster`: an alias of `precedent eval …`."""
from __future__ import annotations

import sys

from eval import run_command

if __name__ == "__main__":
    sys.exit(run_command(sys.argv[1:]))

"""`python -m precedent`: the same as the `precedent` command."""
import sys

from precedent.cli import main

sys.exit(main())

"""``python -m catkit`` runs the command line (see :mod:`catkit.cli`)."""

import sys

from catkit.cli import main

sys.exit(main())

"""``python -m catkit.lm``: the LM bridge's command line (see :mod:`catkit.lm.cli`)."""

import sys

from catkit.lm.cli import main

sys.exit(main())

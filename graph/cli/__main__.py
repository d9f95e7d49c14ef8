"""``python -m graph.cli`` runs the command line."""

import sys

from graph.cli.main import main

sys.exit(main())

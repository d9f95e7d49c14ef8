"""``python -m graph.cli`` runs the command line."""

import sys

from graph.cli.main import main

if __name__ == "__main__":  # not when a spawned page worker imports this module (graph.run.page_worker)
    sys.exit(main())

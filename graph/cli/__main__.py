"""``python -m graph.cli`` runs the command line."""

from graph.cli.main import command

if __name__ == "__main__":  # not when a spawned page worker imports this module (graph.run.page_worker)
    command()

"""Reconcile stage: link the entities of our graph to Wikidata items, with a score and the evidence."""

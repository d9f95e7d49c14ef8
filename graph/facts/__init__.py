"""Facts of a built graph, per conflict: read once, compared with Wikidata (wikidata-diff) and across
editions (compare)."""

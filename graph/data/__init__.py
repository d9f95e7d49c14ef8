"""The data files (template meanings, headings, mappings, vocabularies, flag tables) and their one loader,
``vocab``: a new infobox type or written form is a change here, not in code."""

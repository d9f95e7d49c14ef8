"""One event, several editions: the graphs of articles in several languages or revisions, aligned (by Wikidata
for different languages, by title for revisions of one article) and compared fact by fact."""

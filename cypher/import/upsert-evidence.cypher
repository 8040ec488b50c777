// Upserts Evidence nodes by id; `published` is stored as a date (a partial date's first day; the text as given stays
// in `published_text`, in row.props).
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n = row.props, n.published = date(row.dates.published)
SET n:Evidence

// Upserts Evidence nodes by id; `published` is stored as a date.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n = row.props, n.published = date(row.published)
SET n:Evidence

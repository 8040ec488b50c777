// Relationships already in the database with the natural key (type, ends, placement, interval) of these rows,
// under an id other than the row's: a row without an id takes that id (it is the same relationship), a row with
// its own id is refused (two ids for one relationship).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})-[r]->(b:Entity {id: row.target})
WHERE type(r) = row.type AND r.key = row.key AND r.id <> row.id
RETURN row.id AS rowId, r.id AS id

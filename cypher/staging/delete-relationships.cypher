// Deletes an abandoned import's relationships, found from their ends (the change's state names them): only those
// it wrote, by id and mark.
UNWIND $rows AS row
MATCH (:Entity {id: row.source})-[r]->(:Entity {id: row.target})
WHERE r.id = row.id AND r._staged = $id
DELETE r

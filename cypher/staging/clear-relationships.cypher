// After publication: removes the mark from a published import's relationships (visible already: their marker is
// gone), so readers' visibility check stops at `_staged IS NULL`.
UNWIND $rows AS row
MATCH (:Entity {id: row.source})-[r]->(:Entity {id: row.target})
WHERE r.id = row.id AND r._staged = $id
REMOVE r._staged

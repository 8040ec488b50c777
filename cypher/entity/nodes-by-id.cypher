// A batch of nodes by id (the per-request node DataLoader); ids that do not exist are simply absent.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN labels(n) AS labels, properties(n) AS props

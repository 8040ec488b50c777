// The traced item, if it exists.
MATCH (x:Item {id: $id})
WHERE (x._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: x._staged}) })
RETURN x.id AS id, labels(x) AS labels, x.name AS name

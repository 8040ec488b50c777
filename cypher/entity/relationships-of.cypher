// Every relationship of a batch of nodes, both directions, with the node at the other end
// (the per-request relationship DataLoader: one statement per nesting level, whatever the number of nodes).
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[r]-(m:Entity)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN id, type(r) AS type, startNode(r) = n AS outgoing, properties(r) AS props,
       m.id AS otherId, labels(m) AS otherLabels, properties(m) AS otherProps

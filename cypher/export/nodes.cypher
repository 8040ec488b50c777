// Every node with its labels and properties, in id order (streamed).
MATCH (n:Entity)
WHERE (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN labels(n) AS labels, properties(n) AS props
ORDER BY n.id

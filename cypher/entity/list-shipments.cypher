// One page of :Shipment nodes in id order after the cursor $after ($filter is not used: shipments have no filter).
MATCH (n:Shipment)
WHERE ($after IS NULL OR n.id > $after) AND (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN labels(n) AS labels, properties(n) AS props
ORDER BY n.id
LIMIT $limit

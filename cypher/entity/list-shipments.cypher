// One page of :Shipment nodes in id order after the cursor $after ($filter is not used: shipments have no filter).
MATCH (n:Shipment)
WHERE ($after IS NULL OR n.id > $after)
RETURN labels(n) AS labels, properties(n) AS props
ORDER BY n.id
LIMIT $limit

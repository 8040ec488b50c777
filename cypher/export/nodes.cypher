// Every node with its labels and properties, in id order (streamed).
MATCH (n:Entity)
RETURN labels(n) AS labels, properties(n) AS props
ORDER BY n.id

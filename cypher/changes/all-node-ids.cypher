// Every node's id and labels (a replacing change set retires what its dataset does not have).
MATCH (n:Entity)
RETURN n.id AS id, labels(n) AS labels

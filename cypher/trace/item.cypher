// The traced item, if it exists.
MATCH (x:Item {id: $id})
RETURN x.id AS id, labels(x) AS labels, x.name AS name

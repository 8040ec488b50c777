// The stored state of these nodes (the "before" of a change), with their version.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props

// The kinds of these node ids (references of a change set to stored nodes, a rebuttal's evidence and items).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, labels(n) AS labels

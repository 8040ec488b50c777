// Which of these ids already exist, and as what: an import may not turn a Factory into a Product.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, labels(n) AS labels

// A batch of nodes by id (the per-request node DataLoader); ids that do not exist are simply absent.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN labels(n) AS labels, properties(n) AS props

// Every relationship of the nodes being retired (retiring a node retires its relationships), with its state.
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[r]-(:Entity)
WITH DISTINCT r
RETURN r.id AS id, type(r) AS type, startNode(r).id AS source, endNode(r).id AS target, properties(r) AS props

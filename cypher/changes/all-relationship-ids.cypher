// Every relationship's id, key, type and ends (a replacing change set retires what its dataset does not have).
MATCH (a:Entity)-[r]->(b:Entity)
RETURN r.id AS id, r.key AS key, type(r) AS type, a.id AS source, b.id AS target

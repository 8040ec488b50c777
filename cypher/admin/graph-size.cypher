// Node and relationship counts (answered from Neo4j's count store, without scanning).
MATCH (n:Entity)
WITH count(n) AS nodes
MATCH ()-[r]->()
RETURN nodes, count(r) AS relationships

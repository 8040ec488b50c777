// Whether the graph has any node at all: a change set into an empty graph has nothing to check or compare against.
OPTIONAL MATCH (n:Entity)
WITH n LIMIT 1
RETURN n IS NOT NULL AS any

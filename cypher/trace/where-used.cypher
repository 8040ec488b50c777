// Every item that contains the given item, directly or through sub-assemblies, each once.
MATCH (:Item {id: $id})-[:COMPONENT_OF*1..]->(p:Item)
WITH DISTINCT p
RETURN labels(p) AS labels, properties(p) AS props
ORDER BY p.id

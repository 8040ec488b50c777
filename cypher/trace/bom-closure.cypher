// Every item in the traced item's bill of materials (itself included), each once. With DISTINCT on the far end
// the planner expands breadth-first and prunes (VarLengthExpand(Pruning)), so a diamond BOM is not walked path by path.
MATCH (x:Item {id: $id})
MATCH (c:Item)-[:COMPONENT_OF*0..]->(x)
WITH DISTINCT c
RETURN c {.id, .name} AS node, labels(c) AS labels

// Every item in the traced item's bill of materials (itself included), each once. With DISTINCT on the far end
// the planner expands breadth-first and prunes (VarLengthExpand(Pruning)), so a diamond BOM is not walked path by path.
// Staged rows are checked per hop on the bound list `rs` (README, "Staged import"): the quantified-path form of the
// same check plans as a path-by-path Repeat(Trail), this one keeps the pruning breadth-first expansion.
MATCH (x:Item {id: $id})
WHERE (x._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: x._staged}) })
MATCH (c:Item)-[rs:COMPONENT_OF*0..]->(x)
WHERE all(r IN rs WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) }))
WITH DISTINCT c
RETURN c {.id, .name} AS node, labels(c) AS labels

// Every item that contains the given item, directly or through sub-assemblies, each once.
// Staged rows are checked per hop on the bound list `rs` (README, "Staged import"): the quantified-path form of the
// same check plans as a path-by-path Repeat(Trail), this one keeps the pruning breadth-first expansion.
MATCH (:Item {id: $id})-[rs:COMPONENT_OF*1..]->(p:Item)
WHERE all(r IN rs WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) }))
WITH DISTINCT p
RETURN labels(p) AS labels, properties(p) AS props
ORDER BY p.id

// Companies that supply a batch of companies, at any tier (themselves included), each once.
// Staged rows are checked per hop on the bound list `rs` (README, "Staged import"): the quantified-path form of the
// same check plans as a path-by-path Repeat(Trail), this one keeps the pruning breadth-first expansion.
UNWIND $ids AS id
MATCH (s:Company)-[rs:SUPPLIES*0..]->(:Company {id: id})
WHERE all(r IN rs WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) }))
WITH DISTINCT s
RETURN s {.id, .name} AS node, labels(s) AS labels

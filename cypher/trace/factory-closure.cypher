// Factories that a batch of factories subcontracted to, at any depth (themselves included), each once, with their
// country (a factory in the DPRK is a source).
// Staged rows are checked per hop on the bound list `rs` (README, "Staged import"): the quantified-path form of the
// same check plans as a path-by-path Repeat(Trail), this one keeps the pruning breadth-first expansion.
UNWIND $ids AS id
MATCH (s:Factory)-[rs:SUBCONTRACTOR_OF*0..]->(:Factory {id: id})
WHERE all(r IN rs WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) }))
WITH DISTINCT s
RETURN s {.id, .name, .country} AS node, labels(s) AS labels

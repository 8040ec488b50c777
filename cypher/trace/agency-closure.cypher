// Agencies that dispatch their workers on into a batch of agencies, through any chain of agencies (themselves
// included), each once, with what makes an agency a source. DISTINCT on the far end prunes the expansion.
// Staged rows are checked per hop on the bound list `rs` (README, "Staged import"): the quantified-path form of the
// same check plans as a path-by-path Repeat(Trail), this one keeps the pruning breadth-first expansion.
UNWIND $ids AS id
MATCH (s:LaborAgency)-[rs:DISPATCHES_TO*0..]->(:LaborAgency {id: id})
WHERE all(r IN rs WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) }))
WITH DISTINCT s
RETURN s {.id, .name, .nationality, .country, .dprk_linked} AS node, labels(s) AS labels

// Agencies that dispatch their workers on into a batch of agencies, through any chain of agencies (themselves
// included), each once, with what makes an agency a source. DISTINCT on the far end prunes the expansion.
UNWIND $ids AS id
MATCH (s:LaborAgency)-[:DISPATCHES_TO*0..]->(:LaborAgency {id: id})
WITH DISTINCT s
RETURN s {.id, .name, .nationality, .country, .dprk_linked} AS node, labels(s) AS labels

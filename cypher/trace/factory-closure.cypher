// Factories that a batch of factories subcontracted to, at any depth (themselves included), each once, with their
// country (a factory in the DPRK is a source).
UNWIND $ids AS id
MATCH (s:Factory)-[:SUBCONTRACTOR_OF*0..]->(:Factory {id: id})
WITH DISTINCT s
RETURN s {.id, .name, .country} AS node, labels(s) AS labels

// Factories that a batch of factories subcontracted to, at any depth (themselves included), each once.
UNWIND $ids AS id
MATCH (s:Factory)-[:SUBCONTRACTOR_OF*0..]->(:Factory {id: id})
WITH DISTINCT s
RETURN s {.id, .name} AS node, labels(s) AS labels

// Companies that supply a batch of companies, at any tier (themselves included), each once.
UNWIND $ids AS id
MATCH (s:Company)-[:SUPPLIES*0..]->(:Company {id: id})
WITH DISTINCT s
RETURN s {.id, .name} AS node, labels(s) AS labels

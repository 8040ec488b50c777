// Rows around a batch of companies: supply from their suppliers, and the factories they operate.
UNWIND $ids AS id
MATCH (:Company {id: id})<-[r:SUPPLIES]-(s:Company)
RETURN type(r) AS type, r.key AS key, s.id AS source, id AS target,
       null AS from, null AS to, r.evidence AS evidence, r.rebuttals AS rebuttals,
       s {.id, .name} AS far, labels(s) AS farLabels
UNION ALL
UNWIND $ids AS id
MATCH (:Company {id: id})-[r:OPERATES]->(f:Factory)
RETURN type(r) AS type, r.key AS key, id AS source, f.id AS target,
       null AS from, null AS to, r.evidence AS evidence, r.rebuttals AS rebuttals,
       f {.id, .name} AS far, labels(f) AS farLabels

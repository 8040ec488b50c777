// Rows around a batch of companies: supply from their suppliers (with its interval), and the factories they operate.
UNWIND $ids AS nodeId
MATCH (:Company {id: nodeId})<-[r:SUPPLIES]-(s:Company)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN type(r) AS type, r.id AS id, r.key AS key, s.id AS source, nodeId AS target, r.placement AS placement,
       toString(r.from) AS from, toString(r.to) AS to, r.evidence AS evidence,
       [k IN keys(r) WHERE k STARTS WITH 'x_' | [k, r[k]]] AS extras,
       s {.id, .name, .nationality, .country, .dprk_linked} AS far, labels(s) AS farLabels
UNION ALL
UNWIND $ids AS nodeId
MATCH (:Company {id: nodeId})-[r:OPERATES]->(f:Factory)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN type(r) AS type, r.id AS id, r.key AS key, nodeId AS source, f.id AS target, r.placement AS placement,
       toString(r.from) AS from, toString(r.to) AS to, r.evidence AS evidence,
       [k IN keys(r) WHERE k STARTS WITH 'x_' | [k, r[k]]] AS extras,
       f {.id, .name, .nationality, .country, .dprk_linked} AS far, labels(f) AS farLabels

// Rows into a batch of factories: subcontracting, employment of workers, labor supply by agencies.
UNWIND $ids AS nodeId
MATCH (:Factory {id: nodeId})<-[r:SUBCONTRACTOR_OF|EMPLOYED_AT|SUPPLIES_LABOR_TO]-(s:Entity)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN type(r) AS type, r.id AS id, r.key AS key, s.id AS source, nodeId AS target, r.placement AS placement,
       toString(r.from) AS from, toString(r.to) AS to, r.evidence AS evidence,
       [k IN keys(r) WHERE k STARTS WITH 'x_' | [k, r[k]]] AS extras,
       s {.id, .name, .nationality, .country, .dprk_linked} AS far, labels(s) AS farLabels

// Rows into a batch of factories: subcontracting, employment of workers, labor supply by agencies.
UNWIND $ids AS id
MATCH (:Factory {id: id})<-[r:SUBCONTRACTOR_OF|EMPLOYED_AT|SUPPLIES_LABOR_TO]-(s:Entity)
RETURN type(r) AS type, r.key AS key, s.id AS source, id AS target,
       toString(r.from) AS from, toString(r.to) AS to, r.evidence AS evidence, r.rebuttals AS rebuttals,
       s {.id, .name, .nationality, .country, .dprk_linked} AS far, labels(s) AS farLabels

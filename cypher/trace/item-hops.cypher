// Rows into a batch of items: BOM lines from their components, production at factories, sourcing from companies.
UNWIND $ids AS nodeId
MATCH (:Item {id: nodeId})<-[r:COMPONENT_OF|PRODUCED|SOURCED_FROM]-(s:Entity)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN type(r) AS type, r.id AS id, r.key AS key, s.id AS source, nodeId AS target, r.placement AS placement,
       toString(r.from) AS from, toString(r.to) AS to, r.evidence AS evidence,
       [k IN keys(r) WHERE k STARTS WITH 'x_' | [k, r[k]]] AS extras,
       s {.id, .name, .nationality, .country, .dprk_linked} AS far, labels(s) AS farLabels

// Rows into a batch of items: BOM lines from their components, production at factories, sourcing from companies.
UNWIND $ids AS id
MATCH (:Item {id: id})<-[r:COMPONENT_OF|PRODUCED|SOURCED_FROM]-(s:Entity)
RETURN type(r) AS type, r.key AS key, s.id AS source, id AS target,
       toString(r.from) AS from, toString(r.to) AS to, r.evidence AS evidence, r.rebuttals AS rebuttals,
       s {.id, .name, .nationality, .country, .dprk_linked} AS far, labels(s) AS farLabels

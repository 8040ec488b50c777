// Every taint relationship (TRACE-SEMANTICS.md, "The taint graph"; TAINT_REL_TYPES, named here, never from input),
// streamed. Shipments' SHIPMENT_OF/IMPORTED_BY are not walked. `extras`: the x_* properties as [key, value] pairs.
MATCH (s:Entity)-[r:EMPLOYED_AT|RECRUITED_BY|DISPATCHES_TO|SUPPLIES_LABOR_TO|SUBCONTRACTOR_OF|PRODUCED|COMPONENT_OF|OPERATES|SUPPLIES|SOURCED_FROM]->(t:Entity)
RETURN type(r) AS type, r.id AS id, r.key AS key, s.id AS source, t.id AS target, r.placement AS placement,
       toString(r.from) AS from, toString(r.to) AS to, r.evidence AS evidence,
       [k IN keys(r) WHERE k STARTS WITH 'x_' | [k, r[k]]] AS extras

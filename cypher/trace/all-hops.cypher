// Every taint relationship (TRACE-SEMANTICS.md, "The taint graph"; TAINT_REL_TYPES, named here, never from input),
// streamed. Shipments' SHIPMENT_OF/IMPORTED_BY are not walked. One list per relationship (positions read in
// taint-graph.loader.ts, loadWholeGraph): type, id, key, source, target, placement, from, to, evidence, and the
// x_* properties as [key, value] pairs.
MATCH (s:Entity)-[r:EMPLOYED_AT|RECRUITED_BY|DISPATCHES_TO|SUPPLIES_LABOR_TO|SUBCONTRACTOR_OF|PRODUCED|COMPONENT_OF|OPERATES|SUPPLIES|SOURCED_FROM]->(t:Entity)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN [type(r), r.id, r.key, s.id, t.id, r.placement, toString(r.from), toString(r.to), r.evidence,
        [k IN keys(r) WHERE k STARTS WITH 'x_' | [k, r[k]]]] AS row

// The stored state of relationships whose type is known (a change set's rows): $byType maps each type to its ids,
// so each branch seeks only its own type's index (cypher/schema); the types are the allow-list REL_TYPES, never
// input. No labels on the ends: with them the planner may scan a label instead of seeking the index.
CALL {
  MATCH (a)-[r:EMPLOYED_AT]->(b) WHERE r.id IN coalesce($byType.EMPLOYED_AT, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:RECRUITED_BY]->(b) WHERE r.id IN coalesce($byType.RECRUITED_BY, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:DISPATCHES_TO]->(b) WHERE r.id IN coalesce($byType.DISPATCHES_TO, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SUPPLIES_LABOR_TO]->(b) WHERE r.id IN coalesce($byType.SUPPLIES_LABOR_TO, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SUBCONTRACTOR_OF]->(b) WHERE r.id IN coalesce($byType.SUBCONTRACTOR_OF, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:PRODUCED]->(b) WHERE r.id IN coalesce($byType.PRODUCED, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:COMPONENT_OF]->(b) WHERE r.id IN coalesce($byType.COMPONENT_OF, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:OPERATES]->(b) WHERE r.id IN coalesce($byType.OPERATES, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SUPPLIES]->(b) WHERE r.id IN coalesce($byType.SUPPLIES, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SOURCED_FROM]->(b) WHERE r.id IN coalesce($byType.SOURCED_FROM, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SHIPMENT_OF]->(b) WHERE r.id IN coalesce($byType.SHIPMENT_OF, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:IMPORTED_BY]->(b) WHERE r.id IN coalesce($byType.IMPORTED_BY, [])
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
}
RETURN id, type, source, target, props

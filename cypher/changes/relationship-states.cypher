// The stored state of these relationships by id (the "before" of a change). One branch per relationship type, each
// seeking that type's index on `id` for the whole list (cypher/schema); the types are the allow-list REL_TYPES, never
// input. No labels on the ends: with them the planner may scan a label instead of seeking the index. A staged
// import's rows are not there until it is published (README, "Staged import").
CALL {
  MATCH (a)-[r:EMPLOYED_AT]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:RECRUITED_BY]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:DISPATCHES_TO]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SUPPLIES_LABOR_TO]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SUBCONTRACTOR_OF]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:PRODUCED]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:COMPONENT_OF]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:OPERATES]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SUPPLIES]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SOURCED_FROM]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:SHIPMENT_OF]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  MATCH (a)-[r:IMPORTED_BY]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
}
WITH id, type, source, target, props
WHERE props._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: props._staged}) }
RETURN id, type, source, target, props

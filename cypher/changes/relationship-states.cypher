// The stored state of these relationships by id (the "before" of a change). One branch per relationship type, each
// using that type's index on `id` (cypher/schema); the types are the allow-list REL_TYPES, never input.
UNWIND $ids AS id
CALL {
  WITH id
  MATCH (a:Entity)-[r:EMPLOYED_AT]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:RECRUITED_BY]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:DISPATCHES_TO]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:SUPPLIES_LABOR_TO]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:SUBCONTRACTOR_OF]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:PRODUCED]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:COMPONENT_OF]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:OPERATES]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:SUPPLIES]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:SOURCED_FROM]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:SHIPMENT_OF]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
  UNION ALL
  WITH id
  MATCH (a:Entity)-[r:IMPORTED_BY]->(b:Entity) WHERE r.id = id
  RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
}
RETURN id, type, source, target, props

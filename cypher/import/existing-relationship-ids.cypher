// Which of these relationship ids already exist, and on which relationship: an import may correct a relationship by
// its id, but not move the id to another type or other ends. One branch per relationship type (each uses that type's
// index on `id`, cypher/schema); the types are the allow-list REL_TYPES, never input.
CALL {
  MATCH (a)-[r:EMPLOYED_AT]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:RECRUITED_BY]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:DISPATCHES_TO]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:SUPPLIES_LABOR_TO]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:SUBCONTRACTOR_OF]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:PRODUCED]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:COMPONENT_OF]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:OPERATES]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:SUPPLIES]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:SOURCED_FROM]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:SHIPMENT_OF]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
  UNION ALL
  MATCH (a)-[r:IMPORTED_BY]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, r.key AS key
}
RETURN id, type, source, target, key

// Retires relationships from the current graph by id (their states stay in the change log). One branch per type,
// each using that type's index on `id`; the types are the allow-list REL_TYPES, never input.
UNWIND $ids AS id
CALL {
  WITH id
  MATCH ()-[r:EMPLOYED_AT]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:RECRUITED_BY]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:DISPATCHES_TO]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:SUPPLIES_LABOR_TO]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:SUBCONTRACTOR_OF]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:PRODUCED]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:COMPONENT_OF]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:OPERATES]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:SUPPLIES]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:SOURCED_FROM]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:SHIPMENT_OF]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
  UNION ALL
  WITH id
  MATCH ()-[r:IMPORTED_BY]->() WHERE r.id = id
  DELETE r
  RETURN count(*) AS n
}
RETURN sum(n) AS deleted

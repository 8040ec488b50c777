// Whether a bulk import may replace the store (README, "Bulk import"): no node but API keys and the graph's meta node,
// and no relationship. Returns the labels of a node that is in the way, if any (an :Entity, the change log, ...).
OPTIONAL MATCH (n)
  WHERE NOT n:ApiKey AND NOT n:LabortraceMeta
WITH n LIMIT 1
OPTIONAL MATCH ()-[r]->()
WITH n, r LIMIT 1
RETURN n IS NOT NULL OR r IS NOT NULL AS occupied, labels(n) AS labels, type(r) AS type

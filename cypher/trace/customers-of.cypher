// One tier of the supplier map downstream: whom each company of the batch supplies (with the relationship's id and
// interval, as resolved days).
UNWIND $ids AS nodeId
MATCH (:Company {id: nodeId})-[r:SUPPLIES]->(c:Company)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN r.id AS id, r.key AS key, nodeId AS source, c.id AS target, toString(r.from) AS from, toString(r.to) AS to,
       r.evidence AS evidence, c.id AS next, c.name AS nextName

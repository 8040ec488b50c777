// One tier of the supplier map upstream: who supplies each company of the batch (with the relationship's id and
// interval, as resolved days).
UNWIND $ids AS nodeId
MATCH (:Company {id: nodeId})<-[r:SUPPLIES]-(s:Company)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN r.id AS id, r.key AS key, s.id AS source, nodeId AS target, toString(r.from) AS from, toString(r.to) AS to,
       r.evidence AS evidence, s.id AS next, s.name AS nextName

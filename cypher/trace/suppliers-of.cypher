// One tier of the supplier map upstream: who supplies each company of the batch.
UNWIND $ids AS id
MATCH (:Company {id: id})<-[r:SUPPLIES]-(s:Company)
RETURN r.key AS key, s.id AS source, id AS target, r.evidence AS evidence, s.id AS next, s.name AS nextName

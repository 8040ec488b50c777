// One tier of the supplier map downstream: whom each company of the batch supplies.
UNWIND $ids AS id
MATCH (:Company {id: id})-[r:SUPPLIES]->(c:Company)
RETURN r.key AS key, id AS source, c.id AS target, r.evidence AS evidence, c.id AS next, c.name AS nextName

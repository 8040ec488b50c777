// Relationship ids (README, "Relationship ids"): imports upsert :SUBCONTRACTOR_OF by id and check that an id is not taken.
CREATE INDEX rel_subcontractor_of_id IF NOT EXISTS FOR ()-[r:SUBCONTRACTOR_OF]-() ON (r.id)

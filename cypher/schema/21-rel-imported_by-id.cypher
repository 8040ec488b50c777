// Relationship ids (README, "Relationship ids"): imports upsert :IMPORTED_BY by id and check that an id is not taken.
CREATE INDEX rel_imported_by_id IF NOT EXISTS FOR ()-[r:IMPORTED_BY]-() ON (r.id)

// Relationship ids (README, "Relationship ids"): imports upsert :RECRUITED_BY by id and check that an id is not taken.
CREATE INDEX rel_recruited_by_id IF NOT EXISTS FOR ()-[r:RECRUITED_BY]-() ON (r.id)

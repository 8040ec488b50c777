// Relationship ids (README, "Relationship ids"): imports upsert :PRODUCED by id and check that an id is not taken.
CREATE INDEX rel_produced_id IF NOT EXISTS FOR ()-[r:PRODUCED]-() ON (r.id)

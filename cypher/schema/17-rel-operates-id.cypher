// Relationship ids (README, "Relationship ids"): imports upsert :OPERATES by id and check that an id is not taken.
CREATE INDEX rel_operates_id IF NOT EXISTS FOR ()-[r:OPERATES]-() ON (r.id)

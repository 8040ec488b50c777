// Relationship ids (README, "Relationship ids"): imports upsert :EMPLOYED_AT by id and check that an id is not taken.
CREATE INDEX rel_employed_at_id IF NOT EXISTS FOR ()-[r:EMPLOYED_AT]-() ON (r.id)

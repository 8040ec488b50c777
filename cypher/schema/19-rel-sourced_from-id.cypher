// Relationship ids (README, "Relationship ids"): imports upsert :SOURCED_FROM by id and check that an id is not taken.
CREATE INDEX rel_sourced_from_id IF NOT EXISTS FOR ()-[r:SOURCED_FROM]-() ON (r.id)

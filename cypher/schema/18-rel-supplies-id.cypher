// Relationship ids (README, "Relationship ids"): imports upsert :SUPPLIES by id and check that an id is not taken.
CREATE INDEX rel_supplies_id IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.id)

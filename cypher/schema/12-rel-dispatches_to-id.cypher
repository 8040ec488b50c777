// Relationship ids (README, "Relationship ids"): imports upsert :DISPATCHES_TO by id and check that an id is not taken.
CREATE INDEX rel_dispatches_to_id IF NOT EXISTS FOR ()-[r:DISPATCHES_TO]-() ON (r.id)

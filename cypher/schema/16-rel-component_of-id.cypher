// Relationship ids (README, "Relationship ids"): imports upsert :COMPONENT_OF by id and check that an id is not taken.
CREATE INDEX rel_component_of_id IF NOT EXISTS FOR ()-[r:COMPONENT_OF]-() ON (r.id)

// Relationship ids (README, "Relationship ids"): imports upsert :SUPPLIES_LABOR_TO by id and check that an id is not taken.
CREATE INDEX rel_supplies_labor_to_id IF NOT EXISTS FOR ()-[r:SUPPLIES_LABOR_TO]-() ON (r.id)

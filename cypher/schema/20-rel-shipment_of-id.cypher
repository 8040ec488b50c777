// Relationship ids (README, "Relationship ids"): imports upsert :SHIPMENT_OF by id and check that an id is not taken.
CREATE INDEX rel_shipment_of_id IF NOT EXISTS FOR ()-[r:SHIPMENT_OF]-() ON (r.id)

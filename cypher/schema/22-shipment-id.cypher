// Lookups by kind and id (shipment(id)) use this index instead of the Entity one plus a label filter.
CREATE CONSTRAINT shipment_id IF NOT EXISTS FOR (n:Shipment) REQUIRE n.id IS UNIQUE

// Lookups by kind and id (item(id), factory(id), ...) use this index instead of the Entity one plus a label filter.
CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (n:Evidence) REQUIRE n.id IS UNIQUE

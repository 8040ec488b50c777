// Lookups by kind and id (item(id), factory(id), ...) use this index instead of the Entity one plus a label filter.
CREATE CONSTRAINT worker_id IF NOT EXISTS FOR (n:Worker) REQUIRE n.id IS UNIQUE

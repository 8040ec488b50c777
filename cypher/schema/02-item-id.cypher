// Lookups by kind and id (item(id), factory(id), ...) use this index instead of the Entity one plus a label filter.
CREATE CONSTRAINT item_id IF NOT EXISTS FOR (n:Item) REQUIRE n.id IS UNIQUE

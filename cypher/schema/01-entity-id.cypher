// Ids are unique across all node kinds (DATA-FORMAT.md): one constraint on the label every node carries.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE

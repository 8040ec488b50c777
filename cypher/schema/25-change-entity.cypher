// The change log (README, "Changes and history"): an entity's history is found by its id.
CREATE INDEX change_entity_id IF NOT EXISTS FOR (c:Change) ON (c.entityId)

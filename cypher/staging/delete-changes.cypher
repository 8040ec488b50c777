// Deletes an abandoned import's changes, once the entities they name are gone (same transaction).
UNWIND $ids AS entityId
MATCH (c:Change {entityId: entityId})
WHERE c._staged = $id
DELETE c

// Deletes an abandoned import's nodes (with any relationship of it still attached).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE n._staged = $id
DETACH DELETE n

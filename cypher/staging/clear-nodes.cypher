// After publication: removes the mark from a published import's nodes.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE n._staged = $id
REMOVE n._staged

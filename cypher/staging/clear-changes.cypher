// After publication: removes the mark from a published import's changes (last, so a cleared batch is not found again).
UNWIND $ids AS entityId
MATCH (c:Change {entityId: entityId})
WHERE c._staged = $id
REMOVE c._staged

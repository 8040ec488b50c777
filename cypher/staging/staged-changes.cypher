// A batch of the changes a staged import wrote (each one names an entity it wrote): what an abandonment deletes and
// a publication clears, batch after batch until none is left.
MATCH (c:Change)
WHERE c._staged = $id
RETURN c.entityId AS entityId, c.kind AS kind, c.after AS after
LIMIT toInteger($limit)

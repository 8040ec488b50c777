// The last version the change log gave each of these ids (ids retired earlier and now added again).
UNWIND $ids AS id
MATCH (c:Change {entityId: id})
RETURN id, max(c.version) AS version

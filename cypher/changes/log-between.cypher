// The changes after one change set up to another, in order: what a cached graph needs to catch up.
MATCH (c:Change)
WHERE c.seq > toInteger($fromSeq) AND c.seq <= toInteger($toSeq)
RETURN c.entityId AS entityId, c.kind AS kind, c.after AS after, c.seq AS seq, c.version AS version
ORDER BY c.seq, c.idx

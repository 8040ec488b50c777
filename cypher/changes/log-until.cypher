// The change log up to a change set, in the order it was written: replaying it gives the graph as recorded then.
MATCH (c:Change)
WHERE c.seq <= toInteger($seq)
RETURN c.entityId AS entityId, c.kind AS kind, c.after AS after, c.seq AS seq, c.version AS version
ORDER BY c.seq, c.idx

// The changes of one change set in order (optionally of one entity), each with the state before it: the previous
// change of the same entity (the log stores each state once, as the state after).
MATCH (c:Change {seq: toInteger($seq)})
WHERE ($entityId IS NULL OR c.entityId = $entityId) AND c.idx >= toInteger($offset)
WITH c ORDER BY c.idx LIMIT toInteger($limit)
CALL {
  WITH c
  OPTIONAL MATCH (p:Change {entityId: c.entityId}) WHERE p.seq < c.seq
  RETURN p.after AS before ORDER BY p.seq DESC LIMIT 1
}
RETURN c.idx AS idx, c.op AS op, c.entityId AS entityId, c.kind AS kind, before, c.after AS after, c.version AS version
ORDER BY c.idx

// One page of change sets, newest first: all of them, or those that changed one entity; since an instant; before a
// cursor (a change set number).
CALL {
  WITH 1 AS one
  MATCH (s:ChangeSet)
  WHERE $entityId IS NULL
  RETURN s
  UNION
  WITH 1 AS one
  MATCH (c:Change {entityId: $entityId})
  MATCH (s:ChangeSet {seq: c.seq})
  RETURN s
}
WITH DISTINCT s
WHERE ($sinceMs IS NULL OR s.atMs >= toInteger($sinceMs)) AND ($beforeSeq IS NULL OR s.seq < toInteger($beforeSeq))
RETURN s {.seq, .id, .atMs, .actor, .reason, .source, .changeCount} AS set
ORDER BY s.seq DESC
LIMIT toInteger($limit)

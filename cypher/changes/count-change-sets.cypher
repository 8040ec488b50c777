// How many change sets a changeSets query matches (its totalCount).
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
WHERE $sinceMs IS NULL OR s.atMs >= toInteger($sinceMs)
RETURN count(s) AS total

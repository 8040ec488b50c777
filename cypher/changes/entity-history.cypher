// The change sets that changed each of these entities, oldest first (the `history` field of every entity type).
UNWIND $ids AS id
MATCH (c:Change {entityId: id})
WITH DISTINCT id, c.seq AS seq
MATCH (s:ChangeSet {seq: seq})
RETURN id, s {.seq, .id, .atMs, .actor, .reason, .source, .changeCount} AS set
ORDER BY s.seq

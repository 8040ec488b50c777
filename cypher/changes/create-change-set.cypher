// The change set itself: who, when, why, from where (CHANGES.md). `seq` is the graph version it produced.
CREATE (s:ChangeSet {seq: toInteger($seq), id: $id, atMs: toInteger($atMs), at: datetime({epochMillis: toInteger($atMs)}), actor: $actor,
                     reason: $reason, source: $source, changeCount: $changeCount})

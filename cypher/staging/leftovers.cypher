// Staged imports that need settling: markers (alive, stale or abandoned), and marks of published imports whose
// clearing was interrupted (a `_staged` on a change with no marker left). Staleness is judged by the database's
// clock (`seenAtMs`), the one that wrote the heartbeats.
CALL {
  MATCH (s:StagedImport)
  RETURN s.id AS id, s.version AS version, s.startedAtMs AS startedAtMs, s.heartbeatMs AS heartbeatMs, s.actor AS actor,
         s.abandoned AS abandoned, timestamp() AS seenAtMs, true AS marked
  UNION
  MATCH (c:Change)
  WHERE c._staged IS NOT NULL AND NOT EXISTS { MATCH (:StagedImport {id: c._staged}) }
  WITH DISTINCT c._staged AS id
  RETURN id, null AS version, null AS startedAtMs, null AS heartbeatMs, null AS actor, null AS abandoned, null AS seenAtMs,
         false AS marked
}
RETURN id, version, startedAtMs, heartbeatMs, actor, abandoned, seenAtMs, marked

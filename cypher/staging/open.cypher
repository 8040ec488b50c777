// Opening a staged import (README, "Staged import"): the graph lock taken without numbering a change set (a write
// on the one meta node, so writers queue behind it), the version its checks were made against, and the staged
// imports already there. The marker is created in the same transaction only if this says nothing moved.
MERGE (m:LabortraceMeta {key: 'graph'})
ON CREATE SET m.epoch = randomUUID()
SET m.stagingOpenedAtMs = timestamp()
RETURN coalesce(m.version, 0) AS version,
       COLLECT { MATCH (s:StagedImport) RETURN s {.id, .version, .startedAtMs, .heartbeatMs, .actor, .abandoned, seenAtMs: timestamp()} } AS staged

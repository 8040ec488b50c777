// First statement of every change set (import, applyChanges, rebuttal): bumps the graph version, which is also the
// change set's number, and draws a new token (caches compare tokens, so a wiped or replaced database can never be
// mistaken for the one they were filled from). Its write lock on the one meta node is held until the change set
// commits, so change sets run one after another: each one's checks (kinds, relationship ids, an acyclic bill of
// materials, expected versions) see every change set committed before it. The epoch is drawn once per store.
// `staged`: the staged imports in progress (README, "Staged import"); other writers are refused while one is.
MERGE (m:LabortraceMeta {key: 'graph'})
ON CREATE SET m.epoch = randomUUID()
SET m.version = coalesce(m.version, 0) + 1, m.token = randomUUID(), m.updatedAt = datetime()
RETURN m.version AS version, coalesce(m.retired, 0) AS retired,
       COLLECT { MATCH (s:StagedImport) RETURN s {.id, .version, .startedAtMs, .heartbeatMs, .actor, .abandoned, seenAtMs: timestamp()} } AS staged

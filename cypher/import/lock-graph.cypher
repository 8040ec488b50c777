// First statement of every change set (import, applyChanges, rebuttal): bumps the graph version, which is also the
// change set's number, draws a new token (caches compare tokens, so a wiped or replaced database can never be
// mistaken for the one they were filled from) and the change set's instant, strictly after the previous one's
// (knownAt = a change set's instant sees exactly the sets up to it). Its write lock on the one meta node is held
// until the change set commits, so change sets run one after another: each one's checks (kinds, relationship ids,
// an acyclic bill of materials, expected versions) see every change set committed before it.
MERGE (m:LabortraceMeta {key: 'graph'})
ON CREATE SET m.epoch = randomUUID()
SET m.version = coalesce(m.version, 0) + 1, m.token = randomUUID(), m.updatedAt = datetime(),
    m.lastAtMs = CASE WHEN toInteger($nowMs) > coalesce(m.lastAtMs, 0) THEN toInteger($nowMs) ELSE m.lastAtMs + 1 END
RETURN m.version AS version, m.lastAtMs AS atMs, coalesce(m.retired, 0) AS retired

// Every import bumps the graph version in the same transaction, and draws a new random token: caches compare
// tokens, so a wiped or replaced database can never be mistaken for the one they were filled from.
MERGE (m:LabortraceMeta {key: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.token = randomUUID(), m.updatedAt = datetime()
RETURN m.version AS version

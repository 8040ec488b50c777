// First statement of every import: bumps the graph version and draws a new token (caches compare tokens, so a wiped
// or replaced database can never be mistaken for the one they were filled from). Its write lock on the one meta
// node is held until the import commits, so imports into one store run one after another: each one's checks (kinds,
// relationship ids, an acyclic bill of materials) see every import committed before it, and the result is always
// that of a serial order.
MERGE (m:LabortraceMeta {key: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.token = randomUUID(), m.updatedAt = datetime()
RETURN m.version AS version

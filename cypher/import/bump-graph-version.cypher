// Every import bumps the graph version in the same transaction, so caches keyed by it see the change.
MERGE (m:LabortraceMeta {key: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.updatedAt = datetime()
RETURN m.version AS version

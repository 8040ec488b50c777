// The graph version (0 before the first import) and its token (null before the first import).
OPTIONAL MATCH (m:LabortraceMeta {key: 'graph'})
RETURN coalesce(m.version, 0) AS version, m.token AS token

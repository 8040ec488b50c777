// The graph version (0 before the first change set), its token (null before the first change set) and the store's
// epoch (drawn once when the meta node is created: a wiped store never has the epoch a cached graph was read at).
OPTIONAL MATCH (m:LabortraceMeta {key: 'graph'})
RETURN coalesce(m.version, 0) AS version, m.token AS token, m.epoch AS epoch, coalesce(m.retired, 0) AS retired

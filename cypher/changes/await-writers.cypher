// A knownAt reader asking about the present: takes the graph lock for a moment, so that a change set being written
// has committed (and is read) before the answer, and every later one gets a later instant than this one. Nothing
// the graph's caches compare (version, token) changes.
MERGE (m:LabortraceMeta {key: 'graph'})
ON CREATE SET m.epoch = randomUUID(), m.version = 0
SET m.readBarrierMs = datetime.realtime().epochMillis
RETURN m.readBarrierMs AS atMs

// The change set's instant, read from the real-time clock once the graph lock is held (not when the statement was
// sent: a writer may wait for the lock) and strictly after the previous change set's, so that knownAt = a change
// set's instant sees exactly the sets up to it, and a reader that waited for the lock (changes/await-writers) knows
// every later change set gets a later instant.
MATCH (m:LabortraceMeta {key: 'graph'})
WITH m, datetime.realtime().epochMillis AS now
SET m.lastAtMs = CASE WHEN now > coalesce(m.lastAtMs, 0) THEN now ELSE m.lastAtMs + 1 END
RETURN m.lastAtMs AS atMs

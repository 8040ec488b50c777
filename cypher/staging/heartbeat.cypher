// First statement of each staging batch and of the publishing change set: proves the import alive and takes its
// marker's write lock, so a batch and an abandonment (mark-abandoned) never interleave. No row: the marker is gone
// or abandoned, and the import must stop.
MATCH (s:StagedImport {id: $id})
WHERE s.abandoned IS NULL
SET s.heartbeatMs = timestamp()
RETURN s.version AS version

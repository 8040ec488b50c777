// Abandons a staged import: after this commits no batch of it can write (heartbeat finds no live marker), so the
// rows found afterwards are all it wrote. The marker stays, hiding them, until they are deleted.
MATCH (s:StagedImport {id: $id})
SET s.abandoned = timestamp()
RETURN s.id AS id

// Deletes a marker: at publication (its rows become visible in the same commit), or once an abandoned import's rows
// are all deleted.
MATCH (s:StagedImport {id: $id})
DELETE s

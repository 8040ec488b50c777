// After a bulk import the constraints and indexes (cypher/schema) are created on the imported store: wait until
// every index is online, as they are after a transactional import ($seconds at most).
CALL db.awaitIndexes($seconds)

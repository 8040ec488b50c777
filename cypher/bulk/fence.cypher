// The fence of a bulk import's store swap (src/db/embedded-neo4j.ts, replaceDatabaseStore): takes the graph lock that
// every change set takes first (import/lock-graph) in a transaction that is never committed and stays open until
// the embedded Neo4j has stopped, so that no change set commits between the last check of the store and the swap.
MERGE (m:LabortraceMeta {key: 'graph'})
SET m.bulkFence = true
RETURN coalesce(m.version, 0) AS version

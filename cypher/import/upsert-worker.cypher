// Upserts Worker nodes by id; a node's properties become exactly its row's (re-importing changes nothing).
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n = row.props
SET n:Worker

// Upserts :SUPPLIES relationships by key (type and endpoints).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:SUPPLIES {key: row.key}]->(b)
SET r = row.props

// Upserts :SOURCED_FROM relationships by key (type and endpoints).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:SOURCED_FROM {key: row.key}]->(b)
SET r = row.props

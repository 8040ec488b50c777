// Upserts timed :SUBCONTRACTOR_OF relationships by key (type, endpoints, interval): parallel intervals stay separate.
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:SUBCONTRACTOR_OF {key: row.key}]->(b)
SET r = row.props, r.from = date(row.from), r.to = date(row.to)

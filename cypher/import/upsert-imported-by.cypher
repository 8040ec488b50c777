// Upserts :IMPORTED_BY relationships by id (README, "Relationship ids"); their properties become exactly the row's.
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:IMPORTED_BY {id: row.id}]->(b)
SET r = row.props

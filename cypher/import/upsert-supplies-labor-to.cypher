// Upserts timed :SUPPLIES_LABOR_TO relationships by id (README, "Relationship ids"): a row with the id of an existing
// relationship corrects it in place (interval, properties); parallel intervals without ids have ids of their own.
// Dates are Neo4j dates of the resolved days; `from_text`/`to_text` (in row.props) keep partial dates as given.
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:SUPPLIES_LABOR_TO {id: row.id}]->(b)
SET r = row.props, r.from = date(row.from), r.to = date(row.to)

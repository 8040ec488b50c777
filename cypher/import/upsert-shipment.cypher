// Upserts Shipment nodes by id; a node's properties become exactly its row's. Dates are Neo4j dates of the resolved
// days (a partial date as given stays in `<column>_text`, in row.props).
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n = row.props,
    n.entry_date = date(row.dates.entry_date),
    n.produced_from = date(row.dates.produced_from),
    n.produced_to = date(row.dates.produced_to)
SET n:Shipment

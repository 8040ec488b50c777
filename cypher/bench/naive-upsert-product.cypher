// Baseline: the row-by-row import an analyst would write first (one statement and transaction per row).
MERGE (n:Entity {id: $id})
SET n:Item:Product, n.name = $name

// Baseline: one bill-of-materials row per statement and transaction.
MERGE (c:Entity {id: $child})
MERGE (p:Entity {id: $parent})
MERGE (c)-[:COMPONENT_OF]->(p)

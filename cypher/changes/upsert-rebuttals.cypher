// Writes rebuttal states (proposals, decisions, an import's accepted rebuttals); the log has each state too.
UNWIND $rows AS row
MERGE (b:Rebuttal {id: row.id})
SET b = row.props

// Writes match candidates (new ones, and pending ones brought to a newer list version).
UNWIND $rows AS r
MERGE (m:ListMatch {id: r.id})
SET m += r.props

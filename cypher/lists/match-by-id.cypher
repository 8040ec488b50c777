// A match candidate by id.
MATCH (m:ListMatch {id: $id})
RETURN m {.*} AS match

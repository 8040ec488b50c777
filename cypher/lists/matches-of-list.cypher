// Every match candidate of one list, any status.
MATCH (m:ListMatch {list: $list})
RETURN m {.*} AS match

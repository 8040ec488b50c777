// The entries of one list version.
MATCH (e:ListEntry {list: $list, version: $label})
RETURN e {.*} AS entry
ORDER BY e.entryId

// A list version by list and label, if it was imported.
MATCH (v:ListVersion {list: $list, label: $label})
RETURN v.sha256 AS sha256, v.entryCount AS entryCount, v.importedAt AS importedAt

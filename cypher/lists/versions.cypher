// Every list version, newest import first within each list.
MATCH (v:ListVersion)
RETURN v.list AS list, v.label AS label, v.entryCount AS entryCount, v.importedAt AS importedAt, v.importedBy AS importedBy
ORDER BY list, importedAt DESC, label DESC

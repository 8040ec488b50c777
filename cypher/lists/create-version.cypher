// A new list version (its entries follow in the same transaction).
CREATE (:ListVersion {list: $list, label: $label, sha256: $sha256, entryCount: $entryCount, importedAt: $importedAt, importedBy: $actor})

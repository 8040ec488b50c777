// One page of :Factory nodes in id order after the cursor $after, filtered by $filter (absent keys are null).
MATCH (n:Factory)
WHERE ($after IS NULL OR n.id > $after)
  AND ($filter.nameContains IS NULL OR toLower(n.name) CONTAINS toLower($filter.nameContains))
  AND ($filter.country IS NULL OR n.country = $filter.country)
  AND ($filter.nationality IS NULL OR n.nationality = $filter.nationality)
  AND ($filter.kind IS NULL OR $filter.kind IN labels(n))
  AND (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN labels(n) AS labels, properties(n) AS props
ORDER BY n.id
LIMIT $limit

// How many :Company nodes match $filter (the connection's totalCount).
MATCH (n:Company)
WHERE ($filter.nameContains IS NULL OR toLower(n.name) CONTAINS toLower($filter.nameContains))
  AND ($filter.country IS NULL OR n.country = $filter.country)
  AND ($filter.nationality IS NULL OR n.nationality = $filter.nationality)
  AND ($filter.kind IS NULL OR $filter.kind IN labels(n))
  AND (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN count(n) AS total

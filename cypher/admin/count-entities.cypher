// How many labortrace nodes there are (npm start imports the demo data when there are none).
MATCH (n:Entity)
WHERE (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN count(n) AS count

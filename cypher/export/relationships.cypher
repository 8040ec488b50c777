// Every relationship between labortrace nodes, with its endpoints' ids, in key order (streamed).
MATCH (a:Entity)-[r]->(b:Entity)
WHERE (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
ORDER BY r.key, r.id

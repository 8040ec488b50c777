// Every relationship between labortrace nodes (all of them are taint edges), streamed.
MATCH (s:Entity)-[r]->(t:Entity)
RETURN type(r) AS type, r.key AS key, s.id AS source, t.id AS target,
       toString(r.from) AS from, toString(r.to) AS to, r.evidence AS evidence, r.rebuttals AS rebuttals

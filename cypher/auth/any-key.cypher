// Whether any API key exists (answered from Neo4j's count store): none and no JWT setting is local mode.
MATCH (k:ApiKey)
RETURN count(k) > 0 AS any

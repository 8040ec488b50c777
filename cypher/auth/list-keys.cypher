// Every API key without its hash, by name.
MATCH (k:ApiKey)
RETURN k.name AS name, k.role AS role, k.created AS created, k.lastUsed AS lastUsed
ORDER BY k.name

// The key a request presents, by its id (indexed by the api_key_id constraint); no row once it is revoked.
MATCH (k:ApiKey {id: $id})
RETURN k.name AS name, k.role AS role, k.hash AS hash, k.lastUsed AS lastUsed

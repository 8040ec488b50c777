// Ends a key at once: the node is deleted, so the next lookup of its id finds nothing.
MATCH (k:ApiKey {name: $name})
DELETE k
RETURN count(*) AS revoked

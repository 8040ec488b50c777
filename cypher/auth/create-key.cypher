// A new API key: only the scrypt hash of its secret is stored (uniqueness of id and name: cypher/schema/23, 24).
CREATE (k:ApiKey {id: $id, name: $name, role: $role, hash: $hash, created: $created})
RETURN k.id AS id

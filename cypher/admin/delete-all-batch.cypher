// Deletes up to $limit nodes with their relationships; the caller repeats until none are left.
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted

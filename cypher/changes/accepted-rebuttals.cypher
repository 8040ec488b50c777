// Accepted rebuttals: the only ones tracing counts (TRACE-SEMANTICS.md, "Rebuttal"); optionally of some relationships.
MATCH (b:Rebuttal {status: 'ACCEPTED'})
WHERE $ids IS NULL OR b.relationshipId IN $ids
RETURN b.relationshipId AS relationshipId, b.id AS id, b.itemIds AS itemIds

// Every rebuttal of these relationships, any status (GraphRelationship.rebuttals), oldest first.
UNWIND $ids AS id
MATCH (b:Rebuttal {relationshipId: id})
RETURN id, properties(b) AS props
ORDER BY b.proposedAt, b.id

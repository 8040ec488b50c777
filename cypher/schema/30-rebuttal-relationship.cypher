// The rebuttals of a relationship (GraphRelationship.rebuttals, and the trace loaders' accepted ones).
CREATE INDEX rebuttal_relationship IF NOT EXISTS FOR (b:Rebuttal) ON (b.relationshipId)

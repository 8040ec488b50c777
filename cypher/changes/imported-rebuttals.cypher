// The rebuttals an import recorded (a labor file's `rebuttal` column) on these relationships: a re-import replaces
// them by what its rows say, and leaves rebuttals proposed and decided through the API alone.
UNWIND $ids AS id
MATCH (b:Rebuttal {relationshipId: id})
WHERE b.origin = 'import'
RETURN properties(b) AS props

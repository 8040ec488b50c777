// Rebuttals by id.
UNWIND $ids AS id
MATCH (b:Rebuttal {id: id})
RETURN properties(b) AS props

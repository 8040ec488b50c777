// Retires rebuttals (an import row that no longer names them); their states stay in the change log.
UNWIND $ids AS id
MATCH (b:Rebuttal {id: id})
DELETE b

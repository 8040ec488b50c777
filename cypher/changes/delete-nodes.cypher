// Retires nodes from the current graph, with their relationships. Their every recorded state stays in the change
// log (:Change), from which knownAt reads: retiring removes from the present, never from what was known.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
DETACH DELETE n

// The stored bill of materials one level down from the given items: (parent, child) for every child -[:COMPONENT_OF]-> parent.
// The acyclicity check of an import walks down from the components the dataset adds, one level per statement.
UNWIND $ids AS id
MATCH (:Entity {id: id})<-[:COMPONENT_OF]-(c:Entity)
RETURN id AS parent, c.id AS child

// Baseline: a deep page of paths, the hand-written way (SKIP over everything before it).
MATCH (x:Item {id: $id})
MATCH p = (s)-[:EMPLOYED_AT|RECRUITED_BY|SUPPLIES_LABOR_TO|SUBCONTRACTOR_OF|PRODUCED|COMPONENT_OF*]->(x)
WHERE (s:Worker AND s.nationality = 'KP') OR (s:LaborAgency AND (s.dprk_linked OR s.country = 'KP'))
RETURN [n IN nodes(p) | n.id] AS nodes
SKIP $skip LIMIT $limit

// Baseline: the query an analyst would write by hand - every path from a DPRK source, counted by enumerating it.
// (It ignores the time rules and the path grammar, so it does less than labortrace and still explodes.)
MATCH (x:Item {id: $id})
MATCH p = (s)-[:EMPLOYED_AT|RECRUITED_BY|SUPPLIES_LABOR_TO|SUBCONTRACTOR_OF|PRODUCED|COMPONENT_OF*]->(x)
WHERE (s:Worker AND s.nationality = 'KP') OR (s:LaborAgency AND (s.dprk_linked OR s.country = 'KP'))
RETURN count(p) AS paths

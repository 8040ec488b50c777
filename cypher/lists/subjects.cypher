// What is matched against lists: every company, labor agency and factory, with its name and country.
MATCH (n:Entity)
WHERE (n:Company OR n:LaborAgency OR n:Factory)
  AND (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN n.id AS id, n.name AS name, n.country AS country,
       CASE WHEN n:Company THEN 'Company' WHEN n:LaborAgency THEN 'LaborAgency' ELSE 'Factory' END AS kind

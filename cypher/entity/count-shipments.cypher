// How many :Shipment nodes there are (the connection's totalCount; $filter is not used).
MATCH (n:Shipment)
WHERE (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN count(n) AS total

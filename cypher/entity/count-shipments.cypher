// How many :Shipment nodes there are (the connection's totalCount; $filter is not used).
MATCH (n:Shipment)
RETURN count(n) AS total

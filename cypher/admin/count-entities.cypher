// How many labortrace nodes there are (npm start imports the demo data when there are none).
MATCH (n:Entity)
RETURN count(n) AS count

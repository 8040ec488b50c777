// How many match candidates each list has in each status.
MATCH (m:ListMatch)
RETURN m.list AS list, m.status AS status, count(*) AS count
ORDER BY list, status

// What staged imports left in the store, read past the readers' visibility check: markers, and rows and changes
// still marked. All zero once every import is published and cleared, or abandoned and deleted (tests check this).
CALL { MATCH (s:StagedImport) RETURN count(s) AS markers }
CALL { MATCH (n:Entity) WHERE n._staged IS NOT NULL RETURN count(n) AS nodes }
CALL { MATCH ()-[r]->() WHERE r._staged IS NOT NULL RETURN count(r) AS relationships }
CALL { MATCH (c:Change) WHERE c._staged IS NOT NULL RETURN count(c) AS changes }
RETURN markers, nodes, relationships, changes

// Change sets are numbered in commit order; the number is also the graph version they produced.
CREATE CONSTRAINT change_set_seq IF NOT EXISTS FOR (s:ChangeSet) REQUIRE s.seq IS UNIQUE

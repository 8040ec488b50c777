// Changes of one change set, and every change up to a knowledge time (knownAt replays the log in seq order).
CREATE INDEX change_seq IF NOT EXISTS FOR (c:Change) ON (c.seq)

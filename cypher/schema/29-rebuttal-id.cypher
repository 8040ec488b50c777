// Reviewed rebuttals (CHANGES.md) are nodes of their own, not :Entity: they are not dataset rows.
CREATE CONSTRAINT rebuttal_id IF NOT EXISTS FOR (b:Rebuttal) REQUIRE b.id IS UNIQUE

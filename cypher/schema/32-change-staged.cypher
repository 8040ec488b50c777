// The changes a staged import wrote, found again to delete its rows (abandoned) or clear their marks (published).
CREATE INDEX change_staged IF NOT EXISTS FOR (c:Change) ON (c._staged)

-- Bytes on disk per table, its indexes included (SQLite's dbstat: whole pages, so free space
-- inside pages counts too). Largest first.
SELECT m.tbl_name, SUM(s.pgsize)
FROM dbstat AS s
JOIN sqlite_master AS m ON m.name = s.name
GROUP BY m.tbl_name
ORDER BY 2 DESC, 1

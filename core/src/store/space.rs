//! Where a store's bytes go: the pages of each table and its indexes (`suhbat bench store`).

use super::Store;
use crate::error::Result;

/// The disk space one table takes, its indexes included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSpace {
    /// Table name (`doc_chunk`, `record_index`, `audit`, …).
    pub table: String,
    /// Bytes of its pages (and its indexes' pages) in the database file.
    pub bytes: u64,
}

impl Store {
    /// Bytes per table in the database file, largest first. Pages are counted whole, so the
    /// sum is the file's size less the free pages and the few pointer-map pages. Run
    /// [`Store::compact`] first for a figure without free pages or write-ahead log.
    pub fn space_by_table(&self) -> Result<Vec<TableSpace>> {
        let mut stmt = self.conn.prepare(include_str!("sql/space_by_table.sql"))?;
        let rows = stmt.query_map([], |r| Ok(TableSpace { table: r.get(0)?, bytes: r.get::<_, i64>(1)?.max(0) as u64 }))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::{DeviceProfile, MemoryKeyProvider, Role, Store};

    #[test]
    fn every_byte_of_the_file_belongs_to_a_table() {
        let dir = tempfile::tempdir().unwrap();
        let keys = MemoryKeyProvider::new();
        let profile = DeviceProfile { person: "Aziz".into(), role: Role::Inspector, scopes: vec![] };
        let mut store = Store::create(dir.path().join("d.db"), &keys, profile).unwrap();
        let mut data = crate::sample::SampleData::new(3);
        let persons: Vec<_> = (0..50).map(|_| data.person("Navbahor", 2025)).collect();
        store.put_many(&persons).unwrap();
        store.compact().unwrap();
        let space = store.space_by_table().unwrap();
        let tables: Vec<&str> = space.iter().map(|t| t.table.as_str()).collect();
        assert!(tables.contains(&"doc_chunk") && tables.contains(&"record_index"), "{tables:?}");
        assert!(space.windows(2).all(|w| w[0].bytes >= w[1].bytes), "largest first: {space:?}");
        let counted: u64 = space.iter().map(|t| t.bytes).sum();
        let file = std::fs::metadata(dir.path().join("d.db")).unwrap().len();
        // Compaction gives the free pages back; besides the tables the file holds only the
        // schema table and the pointer-map pages of incremental vacuum (one per ~800 pages;
        // SQLCipher reserves 80 bytes of each page).
        let page = store.conn.query_row("SELECT pgsize FROM dbstat LIMIT 1", [], |r| r.get::<_, i64>(0)).unwrap() as u64;
        let free = store.conn.query_row("PRAGMA freelist_count", [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(free, 0, "compaction leaves no free pages");
        let schema = store.conn.query_row("SELECT SUM(pgsize) FROM dbstat WHERE name = 'sqlite_schema'", [], |r| r.get::<_, i64>(0)).unwrap() as u64;
        let pages = file / page;
        let pointer_maps = (pages - 1).div_ceil((page - 80) / 5 + 1);
        assert_eq!(counted + schema + pointer_maps * page, file, "tables {counted} + schema {schema} + {pointer_maps} pointer-map pages = file");
    }
}

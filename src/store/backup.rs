//! Consistent copies of the database, made while desks keep working.

use std::path::Path;

use super::{Result, Store};

impl Store {
    /// Writes a consistent, compacted copy of the database to `out`, which must not exist yet
    /// (`VACUUM INTO`). It reads only, so it runs beside desks and jobs that write, and works on
    /// a store opened with [`Store::open_read_only`].
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        // `query_only` refuses `VACUUM INTO` although it writes only the new file; it is lifted
        // for this one statement and put back as it was.
        let query_only: bool = self
            .conn
            .pragma_query_value(None, "query_only", |r| r.get(0))?;
        if query_only {
            self.conn.pragma_update(None, "query_only", false)?;
        }
        let copied = self.conn.execute("VACUUM INTO ?1", [out.to_string_lossy()]);
        if query_only {
            self.conn.pragma_update(None, "query_only", true)?;
        }
        copied?;
        Ok(())
    }
}

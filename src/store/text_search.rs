//! Text indexes for the free-text filters of the visit history, the call log and the complaint
//! list (schema version 10), so that a search over ten years of records reads an index instead of
//! every row.
//!
//! As for the customer search ([`super::customers::search`]): the searched fields of a record are
//! cut into two-character windows ("王小芳" → "王小 小芳"), plus each field's last character on its
//! own, so that one typed character finds a record wherever it stands in a field. The windows of
//! the typed text must follow each other within one field (a phrase): that is "contains", with
//! case and punctuation ignored. The entry's rowid is the record's id. On SQLite the index is an
//! FTS5 table; on a server a table with a trigram index on the padded text.
//!
//! The entries follow the records by themselves: every write of the store notes the rows it
//! changed (for the seals, [`super::seal`]); before the commit [`reindex_pending`] rebuilds the
//! entries of the noted rows of these tables from their new contents (or drops them), in the
//! same transaction. The index is not a record: it is not sealed and can be rebuilt at any time
//! ([`reindex_all`]); the purge compacts it ([`compact`]) so no window of an erased name is left.

use super::Result;
use super::customers::grams;
use super::db::{Backend, Db, Value, insert_rows};
use crate::db_params;

/// A record kind with a text index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextIndex {
    /// The records' table.
    pub table: &'static str,
    /// The index's table.
    pub index: &'static str,
    /// The searched columns.
    pub columns: &'static [&'static str],
}

/// Visits: who came, from which company, and why.
pub const VISITS: TextIndex = TextIndex {
    table: "visits",
    index: "visit_search",
    columns: &["surname", "name", "phone", "company", "purpose"],
};

/// Calls: who called, from where, what was asked and answered.
pub const CALLS: TextIndex = TextIndex {
    table: "calls",
    index: "call_search",
    columns: &["caller_name", "phone", "region", "content", "answer"],
};

/// Complaints: the customer, the waybill, what happened and its category.
pub const COMPLAINTS: TextIndex = TextIndex {
    table: "complaints",
    index: "complaint_search",
    columns: &["customer_name", "phone", "waybill", "content", "category"],
};

/// Every text index.
pub const ALL: [TextIndex; 3] = [VISITS, CALLS, COMPLAINTS];

/// Entries written per statement.
const BATCH: usize = 500;

/// The index text of one record: each field's windows and its last character, the fields
/// separated by a full stop so that no phrase spans two of them.
pub fn entry(fields: &[Option<String>]) -> String {
    fields
        .iter()
        .map(|field| {
            let field = field.as_deref().unwrap_or_default();
            let mut words = grams(field);
            if words.len() > 1 || words.first().is_some_and(|w| w.chars().count() > 1) {
                let last: String = field
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .last()
                    .map(String::from)
                    .unwrap_or_default();
                words.push(last);
            }
            words.join(" ")
        })
        .collect::<Vec<_>>()
        .join(" . ")
}

/// The condition "the record whose id is `id_column` contains `text`" for a `WHERE` clause,
/// with its one parameter numbered `param`; `None` when the text has no letter or digit (then
/// nothing is filtered).
pub fn condition(
    db: Db<'_>,
    index: &TextIndex,
    text: &str,
    id_column: &str,
    param: usize,
) -> Option<(String, Value)> {
    let words = grams(text);
    let single = match words.as_slice() {
        [] => return None,
        [one] => one.chars().count() == 1,
        _ => false,
    };
    let name = index.index;
    Some(match db.backend() {
        Backend::Sqlite => {
            let query = if single {
                format!("{}*", words[0])
            } else {
                format!("\"{}\"", words.join(" "))
            };
            (
                format!("{id_column} IN (SELECT rowid FROM {name} WHERE {name} MATCH ?{param})"),
                Value::Text(query),
            )
        }
        Backend::Postgres => {
            let pattern = if single {
                format!("% {}%", words[0])
            } else {
                format!("% {} %", words.join(" "))
            };
            (
                format!(
                    "{id_column} IN (SELECT rowid FROM {name}
                     WHERE ' ' || replace(grams, ' . ', ' ') || ' ' LIKE ?{param} ESCAPE '!')"
                ),
                // Windows are letters and digits only: nothing to escape.
                Value::Text(pattern),
            )
        }
    })
}

/// Rebuilds the entries of the rows of these tables that the current write changed (noted in
/// `changed_rows`, see [`super::seal`]): called in the write's transaction before it commits.
pub fn reindex_pending<'a>(db: impl Into<Db<'a>>) -> Result<()> {
    let db = db.into();
    for index in &ALL {
        let ids: Vec<i64> = db.query_map(
            &format!(
                "SELECT DISTINCT CAST(row_key AS {}) FROM changed_rows WHERE tbl = ?1",
                db.pick("INTEGER", "BIGINT")
            ),
            db_params![index.table],
            |r| r.get(0),
        )?;
        // Many at a time (a migration copies every record in one write).
        for chunk in ids.chunks(BATCH) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("?{i}")).collect();
            let marks = marks.join(", ");
            let params: Vec<&dyn super::db::ToValue> = chunk
                .iter()
                .map(|id| id as &dyn super::db::ToValue)
                .collect();
            db.execute(
                &format!("DELETE FROM {} WHERE rowid IN ({marks})", index.index),
                &params,
            )?;
            let rows = read_fields(db, index, &format!("WHERE id IN ({marks})"), &params)?;
            insert_entries(db, index, &rows)?;
        }
    }
    Ok(())
}

/// Rebuilds one index from every record (an upgrade to schema 10, a migration to a server).
pub fn reindex_all<'a>(db: impl Into<Db<'a>>, index: &TextIndex) -> Result<()> {
    let db = db.into();
    db.execute(&format!("DELETE FROM {}", index.index), db_params![])?;
    let mut after = 0_i64;
    loop {
        let rows = read_fields(
            db,
            index,
            "WHERE id > ?1 ORDER BY id LIMIT 10000",
            db_params![after],
        )?;
        let Some((last, _)) = rows.last() else {
            return Ok(());
        };
        after = *last;
        insert_entries(db, index, &rows)?;
    }
}

/// Merges each index into one segment, so an erased record's old windows are gone from the file
/// (with `secure_delete`, their pages are zeroed). On a server there are no segments: reclaiming
/// dead rows is VACUUM's job.
pub fn compact<'a>(db: impl Into<Db<'a>>) -> Result<()> {
    let db = db.into();
    if db.backend() == Backend::Sqlite {
        for index in &ALL {
            db.execute(
                &format!("INSERT INTO {0} ({0}) VALUES ('optimize')", index.index),
                db_params![],
            )?;
        }
    }
    Ok(())
}

/// The id and the index text of the records `clause` selects.
fn read_fields(
    db: Db<'_>,
    index: &TextIndex,
    clause: &str,
    params: &[&dyn super::db::ToValue],
) -> Result<Vec<(i64, String)>> {
    let columns = index.columns.join(", ");
    let n = index.columns.len();
    db.query_map(
        &format!("SELECT id, {columns} FROM {} {clause}", index.table),
        params,
        |r| {
            let mut fields = Vec::with_capacity(n);
            for i in 1..=n {
                fields.push(r.get::<Option<String>>(i)?);
            }
            Ok((r.get(0)?, fields))
        },
    )
    .map(|rows| {
        rows.into_iter()
            // A walk-in whose details were never taken has nothing to find.
            .filter(|(_, fields)| fields.iter().flatten().any(|f| !f.trim().is_empty()))
            .map(|(id, fields)| (id, entry(&fields)))
            .collect()
    })
}

fn insert_entries(db: Db<'_>, index: &TextIndex, rows: &[(i64, String)]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        let mut values = Vec::with_capacity(chunk.len() * 2);
        for (id, text) in chunk {
            values.push(Value::Int(*id));
            values.push(Value::Text(text.clone()));
        }
        let params: Vec<&dyn super::db::ToValue> = values
            .iter()
            .map(|v| v as &dyn super::db::ToValue)
            .collect();
        db.execute(
            &insert_rows(index.index, &["rowid", "grams"], chunk.len()),
            &params,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_has_each_fields_windows_and_last_character() {
        let fields = [
            Some("王".to_owned()),
            Some("王小芳".to_owned()),
            Some("138-1234".to_owned()),
            None,
            Some("Pick up".to_owned()),
        ];
        assert_eq!(
            entry(&fields),
            "王 . 王小 小芳 芳 . 13 38 81 12 23 34 4 .  . pi ic ck ku up p"
        );
    }
}

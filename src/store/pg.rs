//! The PostgreSQL backend's schema: the same versions as the SQLite migrations in `store/sql/`,
//! written in PostgreSQL's dialect (`store/pg/NNNN_*.sql`).
//!
//! A database at version N has the same tables, with the same columns in the same order, the
//! same constraints, indexes, default rows and guards as an SQLite file at version N. What
//! differs (see each file's comments):
//! - the version marker is the table `frontdesk_meta` (`application_id` = `FDK1`,
//!   `schema_version` = N, set by each step) instead of `PRAGMA application_id`/`user_version`;
//! - text columns use the "C" collation, so they compare and sort by bytes as SQLite does;
//! - the customer search is a plain table `customer_search (rowid, grams)` with a trigram index
//!   instead of an FTS5 table;
//! - the seals' change notes come from persistent triggers that write into the session's
//!   temporary `changed_rows` when it has one, instead of per-connection TEMP triggers;
//! - append-only tables also refuse TRUNCATE, and the visit log lets the purge empty a
//!   correction's detail while `frontdesk.scrub_visit_log` is 'on' in its transaction (SQLite's
//!   purge drops the guard instead, which the desks' role may not do here).

/// The schema steps on PostgreSQL, in order; step `i` brings the database to version `i + 1`.
/// Run each in one transaction; each ends by setting `schema_version` in `frontdesk_meta`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("pg/0001_init.sql"),
    include_str!("pg/0002_calls_complaints.sql"),
    include_str!("pg/0003_claims.sql"),
    include_str!("pg/0004_supervision.sql"),
    include_str!("pg/0005_customer_archive.sql"),
    include_str!("pg/0006_row_seals.sql"),
    include_str!("pg/0007_seal_notes.sql"),
    include_str!("pg/0008_search_phrase.sql"),
    include_str!("pg/0009_desks.sql"),
    include_str!("pg/0010_text_search.sql"),
    include_str!("pg/0011_claim_calls.sql"),
    include_str!("pg/0012_claim_deadlines.sql"),
    include_str!("pg/0013_service_rules.sql"),
    include_str!("pg/0014_quality_measures.sql"),
    include_str!("pg/0015_waybill_changes.sql"),
];

/// Roles and rights on a server, for the DBA to run as a superuser in FrontDesk's database:
/// once before the schema steps and again after them (and after every upgrade). The file's
/// header says why and in what order.
pub const SERVER_SETUP: &str = include_str!("pg/server_setup.sql");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_one_postgresql_step_per_sqlite_step() {
        assert_eq!(
            i32::try_from(MIGRATIONS.len()).unwrap(),
            super::super::SCHEMA_VERSION
        );
    }

    #[test]
    fn every_step_sets_its_own_version() {
        for (i, step) in MIGRATIONS.iter().enumerate() {
            let marker = format!("('schema_version', '{}')", i + 1);
            assert!(step.contains(&marker), "step {} lacks {marker}", i + 1);
        }
    }
}

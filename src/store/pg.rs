//! The PostgreSQL backend's schema: the same versions as the SQLite migrations in `store/sql/`,
//! written in PostgreSQL's dialect (`store/pg/NNNN_*.sql`).

/// The schema steps on PostgreSQL, in order; step `i` brings the database to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[];

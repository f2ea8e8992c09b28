//! The SQLite database: opening, migrating, and small shared queries.

use std::str::FromStr;

use anyhow::Context as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqliteConnection, SqlitePool};

use crate::config::Config;

/// Opens (creating if needed) and migrates the database in the data directory.
pub async fn open(config: &Config) -> anyhow::Result<SqlitePool> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data directory {}", config.data_dir.display()))?;
    let path = config.database_path();
    let options = SqliteConnectOptions::from_str("sqlite://")
        .context("building SQLite options")?
        .filename(&path)
        .create_if_missing(true)
        .foreign_keys(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a committed decision (an outbound text, a recorded answer) survives power loss.
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(std::time::Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .with_context(|| format!("opening the database {}", path.display()))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .context("migrating the database")?;
    Ok(pool)
}

/// Appends a staff action to the audit trail, inside the caller's transaction.
pub async fn audit(
    conn: &mut SqliteConnection,
    at: &str,
    actor: &crate::views::Staff,
    action: &str,
    patient_id: Option<i64>,
    detail: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_trail (at, actor, actor_id, action, patient_id, detail)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(&actor.display_name)
    .bind((actor.id != 0).then_some(actor.id))
    .bind(action)
    .bind(patient_id)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

//! Local staff accounts of the embedded default: Argon2 password hashes, two roles.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use sqlx::Row as _;

use crate::error::{Result, ServiceError};
use crate::schedule::ts;
use crate::store;
use crate::views::{NewStaff, Role, Staff};
use crate::Homewatch;

const MIN_PASSWORD_CHARS: usize = 10;

impl Homewatch {
    /// True until the first staff account exists: the console then offers to create it.
    pub async fn needs_first_account(&self) -> Result<bool> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff")
            .fetch_one(&self.inner.pool)
            .await?;
        Ok(count == 0)
    }

    /// Creates a staff account. Without an actor only the first account may be created, and it
    /// must be a supervisor; after that only supervisors create accounts.
    pub async fn create_staff(
        &self,
        actor: Option<&Staff>,
        new: NewStaff,
        at: DateTime<Utc>,
    ) -> Result<Staff> {
        let username = new.username.trim().to_lowercase();
        let display_name = new.display_name.trim().to_string();
        check_username(&username)?;
        crate::error::check_text_field("the staff member's name", &display_name, 200)?;
        if new.password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ServiceError::invalid(format!(
                "the password is too short: use at least {MIN_PASSWORD_CHARS} characters"
            )));
        }
        let hash = Argon2::default()
            .hash_password(new.password.as_bytes(), &SaltString::generate(&mut OsRng))
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
            .to_string();

        let mut tx = self.inner.pool.begin().await?;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff")
            .fetch_one(&mut *tx)
            .await?;
        let creator = match actor {
            Some(actor) if actor.role == Role::Supervisor => actor.clone(),
            Some(_) => {
                return Err(ServiceError::forbidden(
                    "only a supervisor can create accounts",
                ))
            }
            None if existing == 0 && new.role == Role::Supervisor => Staff::operator(&display_name),
            None if existing == 0 => {
                return Err(ServiceError::invalid(
                    "the first account must be a supervisor, who can then create the others",
                ))
            }
            None => {
                return Err(ServiceError::unauthorized(
                    "sign in as a supervisor to create accounts",
                ))
            }
        };
        let id = sqlx::query(
            "INSERT INTO staff (username, display_name, password_hash, role, created_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING",
        )
        .bind(&username)
        .bind(&display_name)
        .bind(&hash)
        .bind(new.role.as_str())
        .bind(ts(at))
        .execute(&mut *tx)
        .await?;
        if id.rows_affected() == 0 {
            return Err(ServiceError::conflict(
                "that username is taken: choose another",
            ));
        }
        let staff = Staff {
            id: id.last_insert_rowid(),
            username,
            display_name,
            role: new.role,
        };
        let detail = format!("staff {} ({})", staff.id, staff.role.as_str());
        store::audit(&mut tx, &ts(at), &creator, "staff_created", None, &detail).await?;
        tx.commit().await?;
        tracing::info!(
            staff_id = staff.id,
            role = staff.role.as_str(),
            "staff account created"
        );
        Ok(staff)
    }

    /// Checks a username and password. The error does not say which of the two was wrong.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        at: DateTime<Utc>,
    ) -> Result<Staff> {
        let username = username.trim().to_lowercase();
        let row = sqlx::query(
            "SELECT id, display_name, password_hash, role FROM staff WHERE username = ?",
        )
        .bind(&username)
        .fetch_optional(&self.inner.pool)
        .await?;
        let wrong = || ServiceError::unauthorized("wrong username or password");
        let Some(row) = row else {
            return Err(wrong());
        };
        let hash: String = row.get("password_hash");
        let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        if Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_err()
        {
            tracing::info!(outcome = "rejected", "sign-in");
            return Err(wrong());
        }
        let role: String = row.get("role");
        let staff = Staff {
            id: row.get("id"),
            username,
            display_name: row.get("display_name"),
            role: Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown stored role"))?,
        };
        let mut conn = self.inner.pool.acquire().await?;
        store::audit(&mut conn, &ts(at), &staff, "signed_in", None, "").await?;
        tracing::info!(staff_id = staff.id, outcome = "accepted", "sign-in");
        Ok(staff)
    }
}

fn check_username(username: &str) -> Result<()> {
    let ok = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "the username may use letters, digits, dot, dash and underscore (at most 64)",
        ))
    }
}

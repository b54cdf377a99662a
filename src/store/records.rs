//! Imported student records and their confirmations.

use super::{StoreError, Tx};
use crate::domain::record::Record;
use crate::domain::record_field::RecordField;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub student_no: String,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub id_type: String,
    pub id_number: String,
    pub school: String,
    pub college: String,
    pub major: String,
    pub level: String,
    pub study_mode: String,
    pub class_name: String,
    pub enrolled_on: String,
    pub graduates_on: String,
    pub counsellor: String,
    pub photo_key: Option<String>,
    /// An approved replacement photo (a Telegram file id), shown instead of `photo_key`.
    pub photo_file_id: Option<String>,
    pub info_confirmed_at: Option<i64>,
    pub photo_confirmed_at: Option<i64>,
}

const COLUMNS: &str = "id, student_no, name, gender, birth_date, id_type, id_number, school, college, major, level,
    study_mode, class_name, enrolled_on, graduates_on, counsellor, photo_key, photo_file_id, info_confirmed_at, photo_confirmed_at";

/// Whether a row was new or replaced an earlier import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Added,
    Updated,
}

/// Adds or updates a record by student number; confirmations already given are kept, and a
/// photo is only replaced when the new import has one.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn upsert(
    tx: &mut Tx,
    r: &Record,
    photo_key: Option<&str>,
    now: i64,
) -> Result<Upsert, StoreError> {
    let existing: Option<(i64,)> = sqlx::query_as("SELECT id FROM records WHERE student_no = $1")
        .bind(&r.student_no)
        .fetch_optional(&mut **tx)
        .await?;
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let sql = if existing.is_some() {
        "UPDATE records SET name = $2, gender = $3, birth_date = $4, id_type = $5, id_number = $6, school = $7,
             college = $8, major = $9, level = $10, study_mode = $11, class_name = $12, enrolled_on = $13,
             graduates_on = $14, counsellor = $15, photo_key = COALESCE($16, photo_key), updated_at = $17
         WHERE student_no = $1"
    } else {
        "INSERT INTO records (student_no, name, gender, birth_date, id_type, id_number, school, college, major,
             level, study_mode, class_name, enrolled_on, graduates_on, counsellor, photo_key, imported_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)"
    };
    sqlx::query(sql)
        .bind(&r.student_no)
        .bind(r.name.as_str())
        .bind(r.gender.code())
        .bind(date(r.birth_date))
        .bind(r.id_number.id_type().code())
        .bind(r.id_number.as_str())
        .bind(&r.school)
        .bind(&r.college)
        .bind(&r.major)
        .bind(&r.level)
        .bind(&r.study_mode)
        .bind(&r.class_name)
        .bind(date(r.enrolled_on))
        .bind(date(r.graduates_on))
        .bind(&r.counsellor)
        .bind(photo_key)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(if existing.is_some() {
        Upsert::Updated
    } else {
        Upsert::Added
    })
}

/// The record of a student: same ID number and same name.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find(
    tx: &mut Tx,
    name: &str,
    id_number: &str,
) -> Result<Option<RecordRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM records WHERE id_number = $1 AND name = $2 ORDER BY id DESC LIMIT 1"
    )))
    .bind(id_number)
    .bind(name)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Records with this ID number, whatever the name (for the look-alike hints).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_id_number(tx: &mut Tx, id_number: &str) -> Result<Vec<RecordRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM records WHERE id_number = $1"
    )))
    .bind(id_number)
    .fetch_all(&mut **tx)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<RecordRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM records WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Sets `info_confirmed_at` or `photo_confirmed_at` (the caller names which).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn confirm(tx: &mut Tx, id: i64, what: Confirmation, now: i64) -> Result<(), StoreError> {
    let sql = match what {
        Confirmation::Info => "UPDATE records SET info_confirmed_at = $1 WHERE id = $2",
        Confirmation::Photo => "UPDATE records SET photo_confirmed_at = $1 WHERE id = $2",
    };
    sqlx::query(sql)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes an approved correction of one field into the record.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn correct(
    tx: &mut Tx,
    id: i64,
    field: RecordField,
    value: &str,
    now: i64,
) -> Result<(), StoreError> {
    // The column comes from the field's own name, never from input.
    let sql = format!(
        "UPDATE records SET {} = $1, updated_at = $2 WHERE id = $3",
        field.column()
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(value)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Makes an approved replacement (a Telegram file id) the record's photo.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_photo_file(
    tx: &mut Tx,
    id: i64,
    file_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE records SET photo_file_id = $1, updated_at = $2 WHERE id = $3")
        .bind(file_id)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    Info,
    Photo,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count(conn: &mut super::Conn) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records")
        .fetch_one(conn)
        .await?;
    Ok(row.0)
}

/// Records of students with this exact name (for pointing at mistyped ID positions).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_name(tx: &mut Tx, name: &str) -> Result<Vec<RecordRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM records WHERE name = $1 LIMIT 50"
    )))
    .bind(name)
    .fetch_all(&mut **tx)
    .await?)
}

/// Every record's (student number, ID number), for an import's identity checks.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn identities(store: &super::Store) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT student_no, id_number FROM records")
        .fetch_all(&store.pool)
        .await?)
}

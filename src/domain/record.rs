//! A student record from the registrar's roster, parsed and checked field by field.

use super::id_number::{Gender, IdNumber, IdType};
use super::person_name::PersonName;
use chrono::NaiveDate;

/// The roster's columns, in order.
pub const COLUMNS: [&str; 16] = [
    "student_no",
    "name",
    "gender",
    "birth_date",
    "id_type",
    "id_number",
    "school",
    "college",
    "major",
    "level",
    "study_mode",
    "class",
    "enrolled_on",
    "graduates_on",
    "counsellor",
    "photo",
];

/// Education levels as the record shows them.
pub const LEVELS: [&str; 3] = ["本科", "专科", "研究生"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub student_no: String,
    pub name: PersonName,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub id_number: IdNumber,
    pub school: String,
    pub college: String,
    pub major: String,
    pub level: String,
    pub study_mode: String,
    pub class_name: String,
    pub enrolled_on: NaiveDate,
    pub graduates_on: NaiveDate,
    pub counsellor: String,
    /// A file name inside the photo folder.
    pub photo: Option<String>,
}

/// Why a roster row was refused: the column and the reason, in English for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{column}: {reason}")]
pub struct RowError {
    pub column: &'static str,
    pub reason: String,
}

fn err(column: &'static str, reason: impl Into<String>) -> RowError {
    RowError {
        column,
        reason: reason.into(),
    }
}

/// Parses a date written `2026-06-30`, `2026/6/30`, `2026.06.30` or `20260630`.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.len() == 8 && raw.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(raw, "%Y%m%d").ok();
    }
    let unified = raw.replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&unified, "%Y-%m-%d").ok()
}

fn text(column: &'static str, raw: &str, required: bool) -> Result<String, RowError> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(err(column, "is empty"));
    }
    if value.chars().count() > 100 {
        return Err(err(column, "is longer than 100 characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(err(column, "contains control characters"));
    }
    Ok(value.to_string())
}

fn id_type(raw: &str) -> Result<IdType, RowError> {
    let raw = raw.trim();
    if raw.is_empty() || raw == "居民身份证" {
        return Ok(IdType::MainlandResident);
    }
    IdType::from_code(raw).ok_or_else(|| err("id_type", format!("unknown ID type `{raw}`")))
}

fn gender(raw: &str) -> Result<Gender, RowError> {
    match raw.trim().to_lowercase().as_str() {
        "男" | "male" | "m" => Ok(Gender::Male),
        "女" | "female" | "f" => Ok(Gender::Female),
        other => Err(err("gender", format!("`{other}` is not 男/女/male/female"))),
    }
}

/// Every problem of one roster row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowErrors(pub Vec<RowError>);

impl RowErrors {
    /// The first problem (a row has at least one).
    pub fn first(&self) -> Option<&RowError> {
        self.0.first()
    }
}

impl std::fmt::Display for RowErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let all: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&all.join("; "))
    }
}

impl std::error::Error for RowErrors {}

/// Collects a row's problems while its fields are parsed, so all of them are reported.
#[derive(Default)]
struct Problems(Vec<RowError>);

impl Problems {
    fn keep<T>(&mut self, parsed: Result<T, RowError>) -> Option<T> {
        parsed.map_err(|e| self.0.push(e)).ok()
    }

    fn check(&mut self, ok: bool, column: &'static str, reason: &str) {
        if !ok {
            self.0.push(err(column, reason));
        }
    }
}

impl Record {
    /// Parses one row given as the 16 columns in [`COLUMNS`] order; a bad row yields every
    /// problem it has, each naming its column.
    pub fn parse(fields: &[&str], today: NaiveDate) -> Result<Record, RowErrors> {
        if fields.len() != COLUMNS.len() {
            return Err(RowErrors(vec![err(
                "row",
                format!("has {} columns, expected {}", fields.len(), COLUMNS.len()),
            )]));
        }
        let get = |i: usize| fields.get(i).copied().unwrap_or_default();
        let mut p = Problems::default();
        let student_no = p.keep(text("student_no", get(0), true));
        if let Some(no) = &student_no {
            let shaped =
                (4..=20).contains(&no.len()) && no.chars().all(|c| c.is_ascii_alphanumeric());
            p.check(shaped, "student_no", "must be 4-20 letters or digits");
        }
        let kind = p.keep(id_type(get(4)));
        let name = kind.and_then(|k| {
            p.keep(
                PersonName::parse(get(1), k.allows_latin_name())
                    .map_err(|e| err("name", e.to_string())),
            )
        });
        let id_number = kind.and_then(|k| {
            p.keep(IdNumber::parse(k, get(5), today).map_err(|e| err("id_number", e.to_string())))
        });
        let gender = p.keep(gender(get(2)));
        let birth_date = p.keep(
            parse_date(get(3)).ok_or_else(|| err("birth_date", "is not a date like 2004-09-01")),
        );
        if let (Some(id), Some(birth)) = (&id_number, birth_date) {
            let agrees = id.birth_date().is_none_or(|d| d == birth);
            p.check(
                agrees,
                "birth_date",
                "differs from the birth date in the ID number",
            );
        }
        if let (Some(id), Some(g)) = (&id_number, gender) {
            let agrees = id.gender().is_none_or(|ig| ig == g);
            p.check(agrees, "gender", "differs from the gender in the ID number");
        }
        let level = p.keep(text("level", get(9), true));
        if let Some(level) = &level {
            p.check(
                LEVELS.contains(&level.as_str()),
                "level",
                "must be 本科, 专科 or 研究生",
            );
        }
        let enrolled_on =
            p.keep(parse_date(get(12)).ok_or_else(|| err("enrolled_on", "is not a date")));
        let graduates_on =
            p.keep(parse_date(get(13)).ok_or_else(|| err("graduates_on", "is not a date")));
        if let (Some(start), Some(end)) = (enrolled_on, graduates_on) {
            p.check(end > start, "graduates_on", "is not after enrolled_on");
        }
        let photo = p.keep(text("photo", get(15), false));
        if let Some(photo) = &photo {
            let plain = !photo.contains(['/', '\\']) && !photo.starts_with('.');
            p.check(
                plain,
                "photo",
                "must be a plain file name inside the photo folder",
            );
        }
        let school = p.keep(text("school", get(6), true));
        let college = p.keep(text("college", get(7), true));
        let major = p.keep(text("major", get(8), true));
        let study_mode = p.keep(text("study_mode", get(10), true));
        let class_name = p.keep(text("class", get(11), true));
        let counsellor = p.keep(text("counsellor", get(14), false));
        if !p.0.is_empty() {
            return Err(RowErrors(p.0));
        }
        // Every field parsed (no problem was kept), so each is there.
        let record = || {
            Some(Record {
                student_no: student_no?,
                name: name?,
                gender: gender?,
                birth_date: birth_date?,
                id_number: id_number?,
                school: school?,
                college: college?,
                major: major?,
                level: level?,
                study_mode: study_mode?,
                class_name: class_name?,
                enrolled_on: enrolled_on?,
                graduates_on: graduates_on?,
                counsellor: counsellor?,
                photo: Some(photo?).filter(|p| !p.is_empty()),
            })
        };
        record().ok_or_else(|| RowErrors(vec![err("row", "could not be read")]))
    }
}

/// Pairs of characters students and registrars mix up.
const LOOK_ALIKES: &[&str] = &[
    "己已巳",
    "戍戌戊",
    "未末",
    "土士",
    "日曰",
    "人入",
    "干于千",
    "拔拨",
    "汩汨",
    "侯候",
    "衷哀",
    "折拆",
    "茶荼",
    "晴睛",
    "祗祇",
    "盲肓",
    "崇祟",
    "炙灸",
    "刺剌",
    "冒冐",
    "赢嬴羸",
    "辨辩辫",
    "徽微",
    "恃持",
    "栗粟",
    "锡钖",
];

/// Whether two characters are a known look-alike pair.
pub fn look_alike(a: char, b: char) -> bool {
    a != b
        && LOOK_ALIKES
            .iter()
            .any(|group| group.contains(a) && group.contains(b))
}

/// 1-based positions where `entered` has a look-alike of `roster`'s character (same length
/// only). Only the positions are ever shown: the roster's characters stay in the roster.
pub fn look_alike_positions(entered: &str, roster: &str) -> Vec<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (entered.chars().collect(), roster.chars().collect());
    if a.len() != b.len() {
        return Vec::new();
    }
    a.iter()
        .zip(&b)
        .enumerate()
        .filter(|(_, (x, y))| look_alike(**x, **y))
        .map(|(i, _)| i + 1)
        .collect()
}

/// 1-based positions where two ID numbers of the same length differ, when they differ in
/// 1..=`max` places (a typo, not another person's number).
pub fn typo_positions(entered: &str, roster: &str, max: usize) -> Option<Vec<usize>> {
    let (a, b): (Vec<char>, Vec<char>) = (entered.chars().collect(), roster.chars().collect());
    if a.len() != b.len() {
        return None;
    }
    let diff: Vec<usize> = a
        .iter()
        .zip(&b)
        .enumerate()
        .filter(|(_, (x, y))| !x.eq_ignore_ascii_case(y))
        .map(|(i, _)| i + 1)
        .collect();
    (!diff.is_empty() && diff.len() <= max).then_some(diff)
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;

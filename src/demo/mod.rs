//! The demo roster the console loads into an empty database: a few dozen generated students
//! with generated photos, written as a CSV and imported through the same path as a real one.

use crate::domain::id_number::check_char_for;
use crate::files::FileStore;
use crate::service::records::import::{self, ImportError, Summary};
use crate::store::Store;
use std::fmt::Write as _;
use std::path::Path;

mod banner;
mod cases;
mod portrait;

pub use banner::console_roster;
pub use cases::{IN_REVIEW, LOOK_ALIKE, TAKEN};
pub use portrait::portrait;

const SURNAMES: [&str; 10] = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳"];
const MAJORS: [(&str, &str); 4] = [
    ("计算机学院", "软件工程"),
    ("外国语学院", "英语"),
    ("经济管理学院", "会计学"),
    ("机械工程学院", "机械设计"),
];

/// A demo student: (name, ID number, student number).
pub type Identity = (String, String, String);

/// The demo students, the same on every run.
pub fn identities(count: usize) -> Vec<Identity> {
    (0..count)
        .map(|i| {
            let name = cases::roster_name(
                i,
                format!(
                    "{}{}",
                    SURNAMES[i % SURNAMES.len()],
                    GIVEN[(i / SURNAMES.len()) % GIVEN.len()]
                ),
            );
            let day = u64::try_from(i % 3000).unwrap_or(0);
            let birth = chrono::NaiveDate::from_ymd_opt(2001, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(day)))
                .map(|d| d.format("%Y%m%d").to_string())
                .unwrap_or_else(|| "20010101".into());
            // The sequence's last digit says the gender: odd for men, even for women.
            let sequence = 100 + 2 * ((i / 3000) % 450) + i % 2;
            let body = format!("110105{birth}{sequence:03}");
            let id = format!("{body}{}", check_char_for(&body));
            (name, id, format!("2022{:04}", i + 1))
        })
        .collect()
}

/// Writes the roster and photos into `dir` and imports them.
pub async fn load(
    store: &Store,
    files: &FileStore,
    dir: &Path,
    count: usize,
    today: chrono::NaiveDate,
    now: i64,
) -> Result<Summary, ImportError> {
    let photos = dir.join("photos");
    tokio::fs::create_dir_all(&photos)
        .await
        .map_err(|source| ImportError::Read {
            path: photos.display().to_string(),
            source,
        })?;
    let mut csv = String::from(
        "student_no,name,gender,birth_date,id_type,id_number,school,college,major,level,study_mode,class,enrolled_on,graduates_on,counsellor,photo\n",
    );
    for (i, (name, id, student_no)) in identities(count).into_iter().enumerate() {
        let gender = if id.as_bytes().get(16).is_some_and(|d| (d - b'0') % 2 == 1) {
            "男"
        } else {
            "女"
        };
        let birth = format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]);
        let (college, major) = MAJORS[i % MAJORS.len()];
        let photo = format!("{student_no}.png");
        let path = photos.join(&photo);
        tokio::fs::write(&path, portrait(i))
            .await
            .map_err(|source| ImportError::Read {
                path: path.display().to_string(),
                source,
            })?;
        let _ = writeln!(
            csv,
            "{student_no},{name},{gender},{birth},mainland,{id},示例大学,{college},{major},本科,全日制,{}{},2022-09-01,2026-06-30,李老师,{photo}",
            major.chars().take(2).collect::<String>(),
            2201 + i % 3
        );
    }
    let file = dir.join("roster.csv");
    tokio::fs::write(&file, csv)
        .await
        .map_err(|source| ImportError::Read {
            path: file.display().to_string(),
            source,
        })?;
    import::import(store, files, &file, Some(&photos), today, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_identities_are_valid_and_photos_are_pngs() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        for (name, id, _) in identities(40) {
            crate::domain::IdNumber::parse(crate::domain::IdType::MainlandResident, &id, today)
                .expect("valid demo ID");
            crate::domain::PersonName::parse(&name, false).expect("valid demo name");
        }
        let png = portrait(3);
        assert_eq!(crate::files::sniff_image(&png), Some("png"));
    }
}

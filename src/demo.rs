//! The demo roster the console loads into an empty database: a few dozen generated students
//! with generated photos, written as a CSV and imported through the same path as a real one.

use crate::domain::id_number::check_char_for;
use crate::files::FileStore;
use crate::service::records::import::{self, ImportError, Summary};
use crate::store::Store;
use std::fmt::Write as _;
use std::path::Path;

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
            let name = format!(
                "{}{}",
                SURNAMES[i % SURNAMES.len()],
                GIVEN[(i / SURNAMES.len()) % GIVEN.len()]
            );
            let day = u64::try_from(i % 3000).unwrap_or(0);
            let birth = chrono::NaiveDate::from_ymd_opt(2001, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(day)))
                .map(|d| d.format("%Y%m%d").to_string())
                .unwrap_or_else(|| "20010101".into());
            let body = format!("110105{birth}{:03}", 100 + (i / 3000) % 900);
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

/// A small generated portrait (PNG): a coloured background and a lighter head and shoulders.
pub fn portrait(seed: usize) -> Vec<u8> {
    const W: usize = 90;
    const H: usize = 120;
    let background = [
        (60 + seed * 37 % 150) as u8,
        (90 + seed * 53 % 120) as u8,
        (160 + seed * 29 % 90) as u8,
    ];
    let mut raw = Vec::with_capacity(H * (1 + W * 3));
    for y in 0..H {
        raw.push(0); // no filter
        for x in 0..W {
            let (dx, dy) = (x as i64 - 45, y as i64 - 45);
            let head = dx * dx + dy * dy < 22 * 22;
            let shoulders = y > 80 && (dx.unsigned_abs() as usize) < 20 + (y - 80);
            let pixel = if head {
                [235, 200, 170]
            } else if shoulders {
                [40, 40, 60]
            } else {
                background
            };
            raw.extend_from_slice(&pixel);
        }
    }
    png(W as u32, H as u32, &raw)
}

fn png(width: u32, height: u32, raw: &[u8]) -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// zlib with uncompressed ("stored") deflate blocks: valid, simple, and small enough here.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
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
        assert_eq!(
            crc32(b"123456789"),
            0xCBF4_3926,
            "the standard CRC-32 check value"
        );
    }
}

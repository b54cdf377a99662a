use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")
}

const GOOD: [&str; 16] = [
    "2022001",
    "张三",
    "女",
    "1949-12-31",
    "",
    "11010519491231002X",
    "示例大学",
    "计算机学院",
    "软件工程",
    "本科",
    "全日制",
    "软件2201",
    "2022-09-01",
    "2026-06-30",
    "李老师",
    "2022001.jpg",
];

#[test]
fn a_good_row_parses() {
    let r = Record::parse(&GOOD, today()).expect("valid");
    assert_eq!(r.student_no, "2022001");
    assert_eq!(r.gender, Gender::Female);
    assert_eq!(r.photo.as_deref(), Some("2022001.jpg"));
}

#[test]
fn bad_rows_name_the_column() {
    let cases: &[(usize, &str, &str)] = &[
        (0, "", "student_no"),
        (0, "20-01", "student_no"),
        (1, "Zhang San", "name"),
        (2, "男", "gender"),
        (2, "x", "gender"),
        (3, "1950-01-01", "birth_date"),
        (3, "yesterday", "birth_date"),
        (4, "spaceship", "id_type"),
        (5, "110105194912310021", "id_number"),
        (6, "", "school"),
        (9, "博士后", "level"),
        (13, "2021-06-30", "graduates_on"),
        (15, "../etc/passwd", "photo"),
    ];
    for (index, value, column) in cases {
        let mut row = GOOD;
        row[*index] = value;
        let e = Record::parse(&row, today()).expect_err(value);
        let first = e.first().expect("a problem");
        assert_eq!(first.column, *column, "{value}: {e}");
    }
    assert_eq!(
        Record::parse(&GOOD[..15], today())
            .expect_err("short")
            .first()
            .map(|e| e.column),
        Some("row")
    );
}

#[test]
fn dates_in_common_shapes() {
    for raw in [
        "2026-06-30",
        "2026/6/30",
        "2026.06.30",
        "20260630",
        " 2026-06-30 ",
    ] {
        assert_eq!(
            parse_date(raw),
            NaiveDate::from_ymd_opt(2026, 6, 30),
            "{raw}"
        );
    }
    assert_eq!(parse_date("2026-02-30"), None);
}

#[test]
fn look_alikes() {
    assert!(look_alike('己', '已'));
    assert!(look_alike('戌', '戍'));
    assert!(!look_alike('己', '己'));
    assert!(!look_alike('张', '三'));
}

#[test]
fn self_help_points_at_positions_only() {
    let look = [
        ("李已", "李己", vec![2]),
        ("李己", "李己", vec![]),
        ("李已", "李己明", vec![]),
        ("王五", "李四", vec![]),
    ];
    for (entered, roster, want) in look {
        assert_eq!(
            look_alike_positions(entered, roster),
            want,
            "{entered}/{roster}"
        );
    }
    let typo = [
        (
            "110105194912310021",
            "110105194912310012",
            2,
            Some(vec![17, 18]),
        ),
        ("11010519491231002x", "11010519491231002X", 2, None),
        ("110105194912310021", "220105194912310012", 2, None),
        ("1101051949123100", "110105194912310021", 2, None),
    ];
    for (entered, roster, max, want) in typo {
        assert_eq!(
            typo_positions(entered, roster, max),
            want,
            "{entered}/{roster}"
        );
    }
}

#[test]
fn a_row_with_several_problems_reports_each() {
    let mut row = GOOD.to_vec();
    row[0] = "x"; // student number too short
    row[9] = "博士"; // not a level
    row[13] = "2020-01-01"; // graduates before enrolling
    let e = Record::parse(&row, today()).expect_err("three problems");
    let columns: Vec<&str> = e.0.iter().map(|p| p.column).collect();
    assert_eq!(columns, ["student_no", "level", "graduates_on"], "{e}");
}

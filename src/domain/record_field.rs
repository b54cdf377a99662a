//! The fields of a student record a correction may name, as the correction flow sets them
//! (`field = "major"`): parsed once, so only a real field reaches the record.

use super::id_number::Gender;
use super::record::parse_date;

/// A correctable field of a roster record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordField {
    Name,
    Gender,
    BirthDate,
    College,
    Major,
    Level,
    StudyMode,
    ClassName,
    StudentNo,
    EnrolledOn,
    GraduatesOn,
}

impl RecordField {
    pub const ALL: [RecordField; 11] = [
        RecordField::Name,
        RecordField::Gender,
        RecordField::BirthDate,
        RecordField::College,
        RecordField::Major,
        RecordField::Level,
        RecordField::StudyMode,
        RecordField::ClassName,
        RecordField::StudentNo,
        RecordField::EnrolledOn,
        RecordField::GraduatesOn,
    ];

    /// The name the dialogue uses, which is also the record's column.
    pub fn column(self) -> &'static str {
        match self {
            RecordField::Name => "name",
            RecordField::Gender => "gender",
            RecordField::BirthDate => "birth_date",
            RecordField::College => "college",
            RecordField::Major => "major",
            RecordField::Level => "level",
            RecordField::StudyMode => "study_mode",
            RecordField::ClassName => "class_name",
            RecordField::StudentNo => "student_no",
            RecordField::EnrolledOn => "enrolled_on",
            RecordField::GraduatesOn => "graduates_on",
        }
    }

    pub fn parse(name: &str) -> Option<RecordField> {
        RecordField::ALL.into_iter().find(|f| f.column() == name)
    }

    /// A corrected value as the record stores it (gender as its code, dates as
    /// `YYYY-MM-DD`); `None` when it is not a value of this field.
    pub fn stored(self, value: &str) -> Option<String> {
        let value = value.trim();
        match self {
            RecordField::Gender => match value.to_lowercase().as_str() {
                "男" | "male" => Some(Gender::Male.code().to_string()),
                "女" | "female" => Some(Gender::Female.code().to_string()),
                _ => None,
            },
            RecordField::BirthDate | RecordField::EnrolledOn | RecordField::GraduatesOn => {
                parse_date(value).map(|d| d.format("%Y-%m-%d").to_string())
            }
            _ if value.is_empty() || value.chars().count() > 100 => None,
            _ if value.chars().any(char::is_control) => None,
            _ => Some(value.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_back_and_nothing_else_does() {
        for field in RecordField::ALL {
            assert_eq!(RecordField::parse(field.column()), Some(field));
        }
        for other in [
            "id_number",
            "photo_key",
            "name; DROP TABLE records",
            "",
            "Name",
        ] {
            assert_eq!(RecordField::parse(other), None, "{other}");
        }
    }

    #[test]
    fn values_are_stored_as_the_record_keeps_them() {
        let cases = [
            (RecordField::Gender, "女", Some("female")),
            (RecordField::Gender, "male", Some("male")),
            (RecordField::Gender, "不知道", None),
            (RecordField::EnrolledOn, "2022-09-01", Some("2022-09-01")),
            (RecordField::BirthDate, "2004/3/7", Some("2004-03-07")),
            (RecordField::GraduatesOn, "去年九月", None),
            (RecordField::Major, " 软件工程 ", Some("软件工程")),
            (RecordField::Major, "", None),
            (RecordField::ClassName, "a\u{7}b", None),
        ];
        for (field, value, stored) in cases {
            assert_eq!(field.stored(value).as_deref(), stored, "{field:?} {value}");
        }
    }
}

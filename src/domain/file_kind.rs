//! What an uploaded file really is, read from its first bytes (never from its name or the
//! type the sender's app declared), and whether the helpdesk accepts it.

use serde::{Deserialize, Serialize};

/// Bytes needed to recognise every accepted kind.
pub const HEAD_BYTES: usize = 16;

/// The kinds of file the helpdesk accepts: photos and scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Heic,
    Pdf,
}

impl FileKind {
    /// Recognises a file by its leading bytes; `None` for anything not accepted.
    pub fn sniff(head: &[u8]) -> Option<FileKind> {
        match head {
            [0xFF, 0xD8, 0xFF, ..] => Some(FileKind::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(FileKind::Png),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(FileKind::Gif),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(FileKind::Webp),
            [
                _,
                _,
                _,
                _,
                b'f',
                b't',
                b'y',
                b'p',
                b'h',
                b'e',
                b'i',
                b'c' | b'x',
                ..,
            ]
            | [
                _,
                _,
                _,
                _,
                b'f',
                b't',
                b'y',
                b'p',
                b'm',
                b'i',
                b'f',
                b'1',
                ..,
            ] => Some(FileKind::Heic),
            [b'%', b'P', b'D', b'F', b'-', ..] => Some(FileKind::Pdf),
            _ => None,
        }
    }

    pub fn is_image(self) -> bool {
        !matches!(self, FileKind::Pdf)
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Heic => "heic",
            FileKind::Pdf => "pdf",
        }
    }
}

/// What checking an upload's content found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "check", content = "kind")]
pub enum Content {
    /// Not checked: the front end has no way to read the file.
    #[default]
    Unchecked,
    Is(FileKind),
    /// Read, and not a kind the helpdesk accepts.
    Unrecognised,
    /// Could not be read (the download failed).
    Unreadable,
}

impl Content {
    pub fn of(head: &[u8]) -> Content {
        FileKind::sniff(head).map_or(Content::Unrecognised, Content::Is)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_recognised_by_their_first_bytes() {
        let cases: &[(&[u8], Option<FileKind>)] = &[
            (&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], Some(FileKind::Jpeg)),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(FileKind::Png)),
            (b"GIF87a", Some(FileKind::Gif)),
            (b"GIF89a\x01\x00", Some(FileKind::Gif)),
            (b"RIFF\x24\0\0\0WEBPVP8 ", Some(FileKind::Webp)),
            (b"\0\0\0\x18ftypheic\0\0\0\0", Some(FileKind::Heic)),
            (b"\0\0\0\x18ftypmif1\0\0\0\0", Some(FileKind::Heic)),
            (b"%PDF-1.7\n", Some(FileKind::Pdf)),
            // Executables, archives, scripts and text renamed to .jpg stay unrecognised.
            (b"MZ\x90\0\x03\0\0\0", None),
            (b"\x7fELF\x02\x01\x01", None),
            (b"PK\x03\x04\x14\0", None),
            (b"<html><script>", None),
            (b"#!/bin/sh\n", None),
            (b"RIFF\x24\0\0\0WAVEfmt ", None),
            (b"%PD", None),
            (b"\xFF\xD8", None),
            (b"", None),
        ];
        for (head, expected) in cases {
            assert_eq!(FileKind::sniff(head), *expected, "{head:?}");
        }
    }

    #[test]
    fn only_pdf_is_not_an_image() {
        for kind in [
            FileKind::Jpeg,
            FileKind::Png,
            FileKind::Gif,
            FileKind::Webp,
            FileKind::Heic,
        ] {
            assert!(kind.is_image(), "{kind:?}");
        }
        assert!(!FileKind::Pdf.is_image());
        assert_eq!(FileKind::Pdf.extension(), "pdf");
    }

    #[test]
    fn content_of_a_head() {
        assert_eq!(Content::of(b"%PDF-1.4"), Content::Is(FileKind::Pdf));
        assert_eq!(Content::of(b"MZ"), Content::Unrecognised);
        let json = serde_json::to_string(&Content::Is(FileKind::Png)).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<Content>(&json).ok(),
            Some(Content::Is(FileKind::Png))
        );
    }
}

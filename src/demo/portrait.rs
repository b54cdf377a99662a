//! The demo roster's generated portraits: small PNGs written without an image crate.

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
    #[test]
    fn the_checksum_is_the_standard_crc32() {
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
    }
}

//! Generated letter icons: the PNG images of API v1's `service/favicon` and `service/avatar`.
//!
//! An icon is a square of one colour with the first letter or digit of a name in white,
//! drawn from the public-domain 8×8 bitmap font (`font8x8`) scaled to half the icon's size.
//! The colour is derived from the name (SHA-256 → hue), so one name always gets the same
//! icon and nothing else goes into it: no account, no stored data, no network.
//! This server fetches no favicons from the web; the reference app falls back to such a
//! letter icon as well.

use sha2::{Digest, Sha256};

use crate::error::{CoreError, CoreResult};

/// Smallest and largest icon edge in pixels.
pub const MIN_SIZE: u32 = 16;
pub const MAX_SIZE: u32 = 256;

/// The icon edge for a requested size: rounded to the nearest multiple of 8 and clamped to
/// 16–256. Text that is not a number counts as 0 (so 16), as PHP's integer cast does.
pub fn icon_size(requested: &str) -> u32 {
    let digits: String = requested
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(6)
        .collect();
    let n: u32 = digits.parse().unwrap_or(0);
    ((n + 4) / 8 * 8).clamp(MIN_SIZE, MAX_SIZE)
}

/// The letter shown for a name: its first ASCII letter or digit, upper-cased; `?` if none.
pub fn initial(name: &str) -> char {
    name.chars()
        .find(char::is_ascii_alphanumeric)
        .map_or('?', |c| c.to_ascii_uppercase())
}

/// The favicon of a domain: a letter icon keyed by the lower-cased domain without `www.`.
pub fn favicon(domain: &str, size: u32) -> CoreResult<Vec<u8>> {
    let domain = domain.trim().to_ascii_lowercase();
    let domain = domain.strip_prefix("www.").unwrap_or(&domain);
    letter_icon(domain, size)
}

/// The avatar of a user id: a letter icon of the id itself, so it reveals nothing about any
/// account (an unknown id gets an icon just the same).
pub fn avatar(uid: &str, size: u32) -> CoreResult<Vec<u8>> {
    letter_icon(uid, size)
}

/// A `size`×`size` RGB PNG: the colour of `name`, its initial in white.
pub fn letter_icon(name: &str, size: u32) -> CoreResult<Vec<u8>> {
    let size = size.clamp(MIN_SIZE, MAX_SIZE);
    let background = colour(name);
    let glyph = glyph(initial(name));
    let edge = size as usize;
    let (box_start, box_edge) = (edge / 4, edge / 2);
    let mut pixels = Vec::with_capacity(edge * edge * 3);
    for y in 0..edge {
        for x in 0..edge {
            let lit = (box_start..box_start + box_edge).contains(&x)
                && (box_start..box_start + box_edge).contains(&y)
                && {
                    let gx = (x - box_start) * 8 / box_edge;
                    let gy = (y - box_start) * 8 / box_edge;
                    glyph[gy] & (1 << gx) != 0
                };
            pixels.extend_from_slice(if lit { &[255, 255, 255] } else { &background });
        }
    }
    encode(size, &pixels)
}

/// The 8×8 bitmap of an ASCII character (row by row, bit 0 the leftmost pixel).
fn glyph(c: char) -> [u8; 8] {
    let index = if c.is_ascii() {
        c as usize
    } else {
        '?' as usize
    };
    font8x8::legacy::BASIC_LEGACY[index]
}

/// A colour for `name`: the hue from its SHA-256, saturation 55 %, lightness 42 % (dark
/// enough for white text).
fn colour(name: &str) -> [u8; 3] {
    let digest = Sha256::digest(name.as_bytes());
    let hue = f64::from(u16::from_be_bytes([digest[0], digest[1]]) % 360);
    hsl_to_rgb(hue, 0.55, 0.42)
}

fn hsl_to_rgb(hue: f64, saturation: f64, lightness: f64) -> [u8; 3] {
    let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = chroma * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = lightness - chroma / 2.0;
    let to_byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [to_byte(r), to_byte(g), to_byte(b)]
}

fn encode(size: u32, pixels: &[u8]) -> CoreResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, size, size);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let failed = |e: png::EncodingError| CoreError::Internal(format!("PNG encoding failed: {e}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a PNG: (width, height, RGB bytes).
    fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("a buffer size")];
        let info = reader.next_frame(&mut buf).expect("PNG image data");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    #[test]
    fn sizes_are_rounded_and_clamped() {
        for (asked, size) in [
            ("0", 16),
            ("1", 16),
            ("20", 24),
            ("19", 16),
            ("32", 32),
            ("36", 40),
            ("64", 64),
            ("255", 256),
            ("256", 256),
            ("4096", 256),
            ("abc", 16),
            ("", 16),
            ("99999999999", 256),
        ] {
            assert_eq!(icon_size(asked), size, "{asked:?}");
        }
    }

    #[test]
    fn icons_decode_at_every_size() {
        for size in (MIN_SIZE..=MAX_SIZE).step_by(8) {
            let (w, h, px) = decode(&favicon("example.com", size).unwrap());
            assert_eq!((w, h), (size, size));
            assert_eq!(px.len(), (size * size * 3) as usize);
            let white = px.chunks(3).filter(|p| p == &[255, 255, 255]).count();
            assert!(white > 0, "the letter is drawn at {size}");
            assert!(white < px.len() / 3 / 4, "the letter is not the whole icon");
            // The corner has the background colour.
            assert_eq!(&px[..3], &colour("example.com"));
        }
    }

    #[test]
    fn the_letter_is_the_initial_and_the_colour_follows_the_name() {
        assert_eq!(initial("example.com"), 'E');
        assert_eq!(initial("-9lives.net"), '9');
        assert_eq!(initial("__"), '?');
        assert_eq!(initial("ümlaut.de"), 'M');
        assert_eq!(
            favicon("WWW.Example.com", 32).unwrap(),
            favicon("example.com", 32).unwrap()
        );
        assert_ne!(
            favicon("example.com", 32).unwrap(),
            favicon("example.org", 32).unwrap()
        );
        assert_eq!(avatar("alice", 64).unwrap(), avatar("alice", 64).unwrap());
        assert_ne!(avatar("alice", 64).unwrap(), avatar("alfred", 64).unwrap());
        // Different letters on the same colour differ too.
        let a = letter_icon("a", 32).unwrap();
        let b = letter_icon("b", 32).unwrap();
        assert_ne!(decode(&a).2, decode(&b).2);
    }

    #[test]
    fn colours_are_dark_enough_for_white_text() {
        for name in ["a", "b", "example.com", "nextcloud.com", "zzz"] {
            let [r, g, b] = colour(name);
            let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
            assert!(luma < 170.0, "{name}: {r},{g},{b}");
        }
    }
}

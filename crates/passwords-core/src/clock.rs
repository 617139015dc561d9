//! The one place that reads the wall clock, as Unix seconds.

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `YYYY-MM-DD` (UTC) of a Unix time (clamped to the years 0 to 9999).
///
/// Hand-written (the civil-from-days algorithm): every password of a legacy list needs two
/// dates, and the general date conversion cost 4 % of a list.
pub fn date(ts: i64) -> String {
    date_text(ts).as_str().to_owned()
}

/// [`date`] without an allocation.
pub fn date_text(ts: i64) -> DateText {
    // 0000-03-01 .. 9999-12-31 in days since 1970-01-01.
    let days = ts.div_euclid(86_400).clamp(-719_468, 2_932_896);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let digit = |v: i64| b'0' + (v % 10) as u8;
    DateText([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

/// A `YYYY-MM-DD` date made by [`date_text`].
#[derive(Clone, Copy)]
pub struct DateText([u8; 10]);

impl DateText {
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and dashes are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_utc() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(1_614_816_000), "2021-03-04");
        assert_eq!(super::date(1_614_902_399), "2021-03-04");
        assert_eq!(super::date(-1), "1969-12-31");
        assert_eq!(super::date(951_782_400), "2000-02-29");
        assert_eq!(super::date(4_107_456_000), "2100-02-28");
        assert_eq!(super::date(i64::MIN), "0000-03-01");
        assert_eq!(super::date(i64::MAX), "9999-12-31");
    }

    #[test]
    fn dates_match_the_time_crate() {
        let mut ts = -2_000_000_000_i64;
        while ts < 5_000_000_000 {
            let t = time::OffsetDateTime::from_unix_timestamp(ts).unwrap();
            let expected = format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day());
            assert_eq!(super::date(ts), expected, "{ts}");
            ts += 86_400 * 7 + 3_601;
        }
    }
}

//! Dates and times as the forms use them: China Standard Time (UTC+08:00), written as RFC 3339
//! timestamps (`2025-03-01T00:00:00+08:00`).
//!
//! Only what the outputs need (a creation time for document metadata), computed from the
//! system clock without a date-time crate. Reading the clock is the only effect here.

use std::time::{SystemTime, UNIX_EPOCH};

/// The offset of China Standard Time from UTC, in seconds.
const CST_OFFSET: i64 = 8 * 3600;

/// The current time in China Standard Time, to the second (`2025-03-01T09:30:00+08:00`).
pub fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    from_unix(secs)
}

/// The RFC 3339 timestamp, in China Standard Time, of `secs` seconds after the Unix epoch.
pub fn from_unix(secs: i64) -> String {
    let local = secs + CST_OFFSET;
    let (days, rem) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The start of the day `text` names, in China Standard Time (`2025-03-01` →
/// `2025-03-01T00:00:00+08:00`), or `None` when `text` is not a valid date.
///
/// Accepts `2025-03-01`, `2025/3/1`, `2025.03.01` and `2025年3月1日`.
pub fn start_of_day(text: &str) -> Option<String> {
    let (y, m, d) = parse_day(text)?;
    Some(format!("{y:04}-{m:02}-{d:02}T00:00:00+08:00"))
}

/// Year, month and day of a date written `2025-03-01`, `2025/3/1`, `2025.03.01` or
/// `2025年3月1日`; `None` for anything else or a day that does not exist.
pub fn parse_day(text: &str) -> Option<(i32, u32, u32)> {
    let text = text.trim();
    let text = text.strip_suffix('日').unwrap_or(text);
    let parts: Vec<&str> = text.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, max_len: usize| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (digits(y, 4)?, digits(m, 2)?, digits(d, 2)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1000 && (1..=days_in_month).contains(&d)).then_some((y as i32, m, d))
}

/// The parts of an RFC 3339 timestamp with a numeric offset or `Z`:
/// `(year, month, day, hour, minute, second, offset in minutes)`.
pub fn parse_rfc3339(text: &str) -> Option<(i32, u32, u32, u32, u32, u32, i32)> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        let s = text.get(from..from + len)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, s) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    // Skip fractional seconds.
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let minutes = (num(i + 1, 2)? * 60 + num(i + 4, 2)?) as i32;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    parse_day(&text[..10])?;
    (h < 24 && mi < 60 && s < 61).then_some((y as i32, mo, d, h, mi, s, offset))
}

/// Year, month and day of `days` days after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_in_china_standard_time() {
        assert_eq!(from_unix(0), "1970-01-01T08:00:00+08:00");
        // 2025-02-28T16:00:00Z is already March 1st in Beijing.
        assert_eq!(from_unix(1_740_758_400), "2025-03-01T00:00:00+08:00");
        assert_eq!(from_unix(951_782_400), "2000-02-29T08:00:00+08:00");
        assert!(parse_rfc3339(&now()).is_some());
    }

    #[test]
    fn dates_as_users_write_them() {
        for text in [
            "2025-03-01",
            "2025/3/1",
            "2025.03.01",
            "2025年3月1日",
            " 2025-3-01 ",
        ] {
            assert_eq!(
                start_of_day(text).as_deref(),
                Some("2025-03-01T00:00:00+08:00"),
                "{text}"
            );
        }
        for bad in [
            "",
            "2025-02-29",
            "2024-13-01",
            "2025-03",
            "二〇二五年",
            "25-3-1",
        ] {
            assert_eq!(start_of_day(bad), None, "{bad}");
        }
        assert_eq!(parse_day("2024-02-29"), Some((2024, 2, 29)));
    }

    #[test]
    fn rfc3339_parts() {
        assert_eq!(
            parse_rfc3339("2025-03-01T09:05:07+08:00"),
            Some((2025, 3, 1, 9, 5, 7, 480))
        );
        assert_eq!(
            parse_rfc3339("2025-03-01T09:05:07.25Z"),
            Some((2025, 3, 1, 9, 5, 7, 0))
        );
        assert_eq!(
            parse_rfc3339("2025-03-01T09:05:07-05:30"),
            Some((2025, 3, 1, 9, 5, 7, -330))
        );
        for bad in [
            "2025-03-01",
            "2025-03-01T09:05:07",
            "2025-02-30T00:00:00Z",
            "x",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}

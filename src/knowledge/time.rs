//! Dates as HTTP and JWTs write them, and durations as people read them.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-25T10:00:00.123Z` or with an offset → milliseconds since the epoch.
pub(crate) fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { text.get(r)?.parse().ok() };
    if bytes.len() < 19
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let (year, month, day, hour, minute, second) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    let mut at = 19;
    let mut millis = 0;
    if bytes.get(at) == Some(&b'.') {
        let digits = bytes[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let frac = &text[at + 1..at + 1 + digits.min(3)];
        millis = match frac.len() {
            1 => frac.parse::<i64>().unwrap_or(0) * 100,
            2 => frac.parse::<i64>().unwrap_or(0) * 10,
            _ => frac.parse::<i64>().unwrap_or(0),
        };
        at += 1 + digits;
    }
    let offset_min = match bytes.get(at) {
        Some(b'Z' | b'z') | None => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hours = num(at + 1..at + 3)?;
            // `+05:30`, and `+0530` as some HAR exporters write it.
            let minutes_at = if bytes.get(at + 3) == Some(&b':') {
                at + 4
            } else {
                at + 3
            };
            let minutes = num(minutes_at..minutes_at + 2).unwrap_or(0);
            let total = hours * 60 + minutes;
            if *sign == b'+' { total } else { -total }
        }
        _ => return None,
    };
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        - offset_min * 60;
    Some(secs * 1000 + millis)
}

/// An HTTP-date (`Wed, 25 Nov 2026 10:00:00 GMT` and the obsolete forms) → seconds since the epoch.
pub(crate) fn parse_http_date(text: &str) -> Option<i64> {
    let time = httpdate::parse_http_date(text.trim()).ok()?;
    let secs = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

/// Seconds since the epoch → `2026-11-25 10:00:00 UTC`.
pub(crate) fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `8054` → `2 h 14 min`; `59` → `59 s`; `90061` → `1 d 1 h`.
pub(crate) fn format_duration(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) if s == 0 => format!("{m} min"),
        (0, 0, _) => format!("{m} min {s} s"),
        (0, _, 0) => format!("{h} h"),
        (0, _, _) => format!("{h} h {m} min"),
        (_, 0, _) => format!("{d} d"),
        _ => format!("{d} d {h} h"),
    }
}

/// An average Gregorian month and year, in seconds: for rounding, not for calendars.
const MONTH: u64 = 2_629_746;
const YEAR: u64 = 12 * MONTH;

/// A duration as people say it: exact below a month (`40 s`, `2 h 14 min`, `3 d 4 h`), then
/// rounded to months (`5 months`), to years and months below two years (`1 year 2 months`),
/// and to years after (`3 years`) — nobody reads `1105 d 11 h`.
pub(crate) fn format_duration_for_people(secs: i64) -> String {
    let abs = secs.unsigned_abs();
    if abs < 30 * 86_400 {
        return format_duration(secs);
    }
    let plural = |n: u64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    let months = (abs + MONTH / 2) / MONTH;
    if months < 12 {
        return plural(months.max(1), "month");
    }
    if months < 24 {
        let rest = months - 12;
        return if rest == 0 {
            plural(1, "year")
        } else {
            format!("1 year {}", plural(rest, "month"))
        };
    }
    plural((abs + YEAR / 2) / YEAR, "year")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(
            parse_rfc3339_ms("2026-11-25T12:00:00+02:00"),
            parse_rfc3339_ms("2026-11-25T10:00:00Z")
        );
        assert_eq!(
            parse_rfc3339_ms("2020-06-23T17:14:02.5961840+0530"),
            parse_rfc3339_ms("2020-06-23T11:44:02.596Z")
        );
        assert_eq!(
            parse_rfc3339_ms("2020-06-23T17:14:02.5961840+05:30"),
            parse_rfc3339_ms("2020-06-23T11:44:02.596Z")
        );
        let secs = parse_http_date("Wed, 25 Nov 2026 10:00:00 GMT").unwrap();
        assert_eq!(format_utc(secs), "2026-11-25 10:00:00 UTC");
        assert_eq!(parse_rfc3339_ms("2026-11-25T10:00:00Z"), Some(secs * 1000));
        assert_eq!(format_duration(8054), "2 h 14 min");
        assert_eq!(format_duration(-45), "45 s");
    }

    #[test]
    fn durations_for_people_round_past_a_month() {
        let day = 86_400;
        assert_eq!(format_duration_for_people(40), "40 s");
        assert_eq!(format_duration_for_people(-40), "40 s");
        assert_eq!(format_duration_for_people(8054), "2 h 14 min");
        assert_eq!(format_duration_for_people(3 * day + 4 * 3600), "3 d 4 h");
        assert_eq!(format_duration_for_people(29 * day), "29 d");
        assert_eq!(format_duration_for_people(31 * day), "1 month");
        assert_eq!(format_duration_for_people(45 * day), "1 month");
        assert_eq!(format_duration_for_people(46 * day), "2 months");
        assert_eq!(format_duration_for_people(200 * day), "7 months");
        assert_eq!(format_duration_for_people(365 * day), "1 year");
        assert_eq!(format_duration_for_people(430 * day), "1 year 2 months");
        assert_eq!(
            format_duration_for_people(-(1105 * day + 11 * 3600)),
            "3 years"
        );
        assert_eq!(format_duration_for_people(10 * 365 * day), "10 years");
        assert_eq!(
            format_duration_for_people(i64::MIN),
            format_duration_for_people(i64::MAX)
        );
    }
}

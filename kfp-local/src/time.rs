//! Timestamps as the run store and KFP's runtime placeholders write them:
//! RFC 3339 in UTC with milliseconds (`2026-12-06T16:26:18.123Z`), which
//! sort as text in time order.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The time now, as [`format()`] writes it.
pub fn now() -> String {
    format(SystemTime::now())
}

/// A time as RFC 3339 in UTC with milliseconds.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let t = UNIX_EPOCH + Duration::from_millis(1_796_574_378_123);
/// assert_eq!(kfp_local::time::format(t), "2026-12-06T16:26:18.123Z");
/// ```
pub fn format(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        since.subsec_millis()
    )
}

/// Reads a time [`format()`] wrote (or one without milliseconds).
pub fn parse(text: &str) -> Option<SystemTime> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let mut d = date.split('-').map(str::parse::<i64>);
    let (year, month, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let (hms, millis) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(str::parse::<u64>);
    let (h, m, s) = (t.next()?.ok()?, t.next()?.ok()?, t.next()?.ok()?);
    let days = days_from_civil(year, month, day);
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + m * 60 + s;
    let millis: u64 = format!("{millis:0<3}")[..3].parse().ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis))
}

/// The time from `start` to `end`, both as [`format()`] writes them; `None`
/// when either does not read or `end` is before `start`.
///
/// ```
/// use std::time::Duration;
///
/// let took = kfp_local::time::between("2026-12-06T16:26:18.123Z", "2026-12-06T16:27:00.000Z");
/// assert_eq!(took, Some(Duration::from_millis(41_877)));
/// ```
pub fn between(start: &str, end: &str) -> Option<Duration> {
    parse(end)?.duration_since(parse(start)?).ok()
}

/// A duration as people read it: `850ms`, `12.3s`, `4m05s`, `2h03m`.
pub fn human(duration: Duration) -> String {
    let ms = duration.as_millis();
    match ms {
        0..1000 => format!("{ms}ms"),
        1000..60_000 => format!("{:.1}s", duration.as_secs_f64()),
        60_000..3_600_000 => format!("{}m{:02}s", ms / 60_000, ms / 1000 % 60),
        _ => format!("{}h{:02}m", ms / 3_600_000, ms / 60_000 % 60),
    }
}

/// Howard Hinnant's `civil_from_days`: the date of a day count from
/// 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_back() {
        for millis in [0u64, 951_782_400_000, 1_796_574_378_123, 4_102_444_800_999] {
            let t = UNIX_EPOCH + Duration::from_millis(millis);
            assert_eq!(parse(&format(t)), Some(t), "{}", format(t));
        }
        assert_eq!(format(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        // 2000-02-29 exists.
        assert_eq!(
            format(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(
            parse("2026-12-06T16:26:18Z").map(format).as_deref(),
            Some("2026-12-06T16:26:18.000Z")
        );
        assert_eq!(parse("yesterday"), None);
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(human(Duration::from_millis(850)), "850ms");
        assert_eq!(human(Duration::from_millis(12_340)), "12.3s");
        assert_eq!(human(Duration::from_secs(245)), "4m05s");
        assert_eq!(human(Duration::from_secs(7380)), "2h03m");
    }
}

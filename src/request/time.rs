//! The texts a timestamp member (`ScheduledTime`) takes: epoch seconds, ISO 8601 date-times, and
//! ISO 8601 durations from the time of the check (`PT1H`: an hour from now), so that a producer,
//! or a sample file, can name a time that is always ahead.

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

/// The time part of a duration: hours, minutes, seconds, each at most once and in that order.
macro_rules! duration_time {
    () => {
        "(?:[0-9]{1,9}H(?:[0-9]{1,9}M)?(?:[0-9]{1,9}S)?|[0-9]{1,9}M(?:[0-9]{1,9}S)?|[0-9]{1,9}S)"
    };
}

/// The durations [`duration_seconds`] reads, as a JSON Schema pattern (the interoperable subset).
pub const DURATION_PATTERN: &str = concat!(
    "^P(?:[0-9]{1,9}D(?:T",
    duration_time!(),
    ")?|T",
    duration_time!(),
    ")$"
);

/// Seconds since the epoch that `text` names at `now`: digits (epoch seconds), an ISO 8601
/// date-time, or an ISO 8601 duration after `now`. `None`: none of these.
pub fn seconds_of(text: &str, now: i64) -> Option<i64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok();
    }
    if let Some(duration) = duration_seconds(text) {
        return now.checked_add(duration);
    }
    DateTime::from_str(text, Format::DateTime)
        .ok()
        .map(|t| t.secs())
}

/// An ISO 8601 duration of days, hours, minutes and seconds (`P1D`, `PT1H30M`, `PT90S`), in
/// seconds. Years and months are refused: their length depends on the date.
pub fn duration_seconds(text: &str) -> Option<i64> {
    let rest = text.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((days, time)) if !time.is_empty() => (days, Some(time)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total: i64 = 0;
    let mut any = false;
    let mut add = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut number = String::new();
        let mut allowed = units.iter();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            // Each unit at most once, in order: `PT1H2M`, not `PT2M1H`.
            let (_, scale) = allowed.find(|(unit, _)| *unit == c)?;
            if number.is_empty() || number.len() > 9 {
                return None;
            }
            total = total.checked_add(number.parse::<i64>().ok()?.checked_mul(*scale)?)?;
            number.clear();
            any = true;
        }
        number.is_empty().then_some(())
    };
    add(days, &[('D', 86_400)])?;
    if let Some(time) = time {
        add(time, &[('H', 3_600), ('M', 60), ('S', 1)])?;
    }
    any.then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_days_hours_minutes_and_seconds() {
        assert_eq!(duration_seconds("PT1H"), Some(3_600));
        assert_eq!(duration_seconds("P1DT2H3M4S"), Some(93_784));
        assert_eq!(duration_seconds("PT90M"), Some(5_400));
        assert_eq!(duration_seconds("P2D"), Some(172_800));
        for bad in [
            "P", "PT", "P1H", "PT1D", "PT2M1H", "P1Y", "P1M", "PTH", "PT1.5H", "1H", "P1DT",
        ] {
            assert_eq!(duration_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_pattern_takes_what_the_reader_takes() {
        let pattern = regex::Regex::new(DURATION_PATTERN).unwrap();
        for text in [
            "PT1H",
            "P1DT2H3M4S",
            "PT90M",
            "P2D",
            "PT5S",
            "P1DT4M",
            "P",
            "PT",
            "P1H",
            "PT1D",
            "PT2M1H",
            "P1Y",
            "P1DT",
            "PT1.5H",
        ] {
            assert_eq!(
                pattern.is_match(text),
                duration_seconds(text).is_some(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_duration_is_after_now() {
        assert_eq!(seconds_of("PT1H", 1_000), Some(4_600));
        assert_eq!(seconds_of("1700000000", 0), Some(1_700_000_000));
        assert_eq!(seconds_of("2026-12-01T09:30:00Z", 0), Some(1_796_117_400));
        assert_eq!(seconds_of("tomorrow", 0), None);
    }
}

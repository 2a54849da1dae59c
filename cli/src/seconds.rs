//! Durations given on the command line, in seconds: checked before anything is sent.
//!
//! `Duration::from_secs_f64` panics on NaN, infinity and negative values, and a timeout of 0
//! makes every request fail, so each duration flag goes through one parser with its range, and
//! a bad value is a usage error that names the flag's range. The parsers are clap value
//! parsers (`value_parser = seconds::poll_interval`); clap puts the flag and the value in
//! front of the message.

use std::time::Duration;

use migrate_runtime::TransportBuilder;

/// `--timeout`: the limit of each HTTP request (the runtime's range).
pub fn request_timeout(text: &str) -> Result<Duration, String> {
    parse(
        text,
        TransportBuilder::MIN_TIMEOUT,
        TransportBuilder::MAX_TIMEOUT,
    )
}

/// `--poll-interval`: the first pause between status polls.
pub fn poll_interval(text: &str) -> Result<Duration, String> {
    parse(text, Duration::from_millis(10), Duration::from_secs(3600))
}

/// `--wait-timeout`: how long a wait lasts at most (up to 30 days).
pub fn wait_timeout(text: &str) -> Result<Duration, String> {
    parse(
        text,
        Duration::from_millis(10),
        Duration::from_secs(30 * 24 * 3600),
    )
}

/// A number of seconds (fractions allowed) from `min` to `max`.
pub fn parse(text: &str, min: Duration, max: Duration) -> Result<Duration, String> {
    let range = format!("a number of seconds from {} to {}", show(min), show(max));
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("not a number; give {range}"))?;
    if !value.is_finite() {
        return Err(format!("not a finite number; give {range}"));
    }
    if value < min.as_secs_f64() || value > max.as_secs_f64() {
        return Err(format!("out of range; give {range}"));
    }
    Ok(Duration::from_secs_f64(value))
}

/// Seconds as written on the command line: `0.01`, `3600`.
fn show(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds.fract() == 0.0 {
        format!("{seconds:.0}")
    } else {
        format!("{seconds}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_are_refused_with_the_range() {
        for bad in [
            "NaN", "nan", "inf", "-inf", "infinity", "-1", "0", "-0", "0.001", "1e9", "", "2s", "x",
        ] {
            let err = poll_interval(bad).unwrap_err();
            assert!(
                err.ends_with("give a number of seconds from 0.01 to 3600"),
                "{bad}: {err}"
            );
        }
        assert!(request_timeout("0")
            .unwrap_err()
            .ends_with("from 0.01 to 3600"));
        assert!(wait_timeout("inf")
            .unwrap_err()
            .ends_with("from 0.01 to 2592000"));
    }

    #[test]
    fn good_values_parse() {
        assert_eq!(poll_interval("0.02"), Ok(Duration::from_millis(20)));
        assert_eq!(poll_interval(" 2 "), Ok(Duration::from_secs(2)));
        assert_eq!(request_timeout("120"), Ok(Duration::from_secs(120)));
        assert_eq!(wait_timeout("1e3"), Ok(Duration::from_secs(1000)));
    }
}

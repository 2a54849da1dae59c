//! One value as the text of a table cell: for people (`table`, `wide`) or for scripts (`text`).
//!
//! JSON and YAML keep every value as the service sent it; a table is read by a person, so
//! there a value is made readable by one rule set for every service:
//!
//! - a string in RFC 3339 (`2024-05-01T10:00:00.000+00:00`) is shown in the user's time zone,
//!   or in UTC with `--utc`, to the second;
//! - a whole number (or a string of digits) in a field whose name ends in `time` or
//!   `timestamp` is epoch milliseconds (ViPR's `start_time`, LCM's `lastmodifiedtime`) and is
//!   shown the same way;
//! - a number in a field named `size`, `…_size`, `…bytes` or `…_used` is bytes (`16.0 GiB`),
//!   one in a field named `…_rate` bytes per second (`12.5 MiB/s`, PowerStore's transfer
//!   rates), one in a field named `…percentage` a percentage;
//! - an object is summarised by its name, message or id, a list by its items, so a cell never
//!   holds a JSON document;
//! - line breaks and tabs become spaces, so a row stays one line.
//!
//! `text` output is for `cut` and `awk`: values raw (numbers as sent, timestamps as sent,
//! nested values as compact JSON), with tabs and line breaks turned into spaces so a value
//! never splits a row.

use bytesize::ByteSize;
use chrono::{DateTime, Local, SecondsFormat, Utc};
use serde_json::Value;

/// How a field's numbers are read, from the field's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    EpochMillis,
    Bytes,
    BytesPerSecond,
    Percent,
    Plain,
}

impl Unit {
    fn of(field: &str) -> Unit {
        let name = field.to_ascii_lowercase().replace('_', "");
        let last = field
            .rsplit(['_', '.'])
            .next()
            .unwrap_or(field)
            .to_ascii_lowercase();
        if name.ends_with("time") || name.ends_with("timestamp") {
            Unit::EpochMillis
        } else if name == "size" || last == "size" || name.ends_with("bytes") || last == "used" {
            Unit::Bytes
        } else if last == "rate" {
            Unit::BytesPerSecond
        } else if name.ends_with("percentage") {
            Unit::Percent
        } else {
            Unit::Plain
        }
    }
}

/// Epoch milliseconds between 1973 and 5138: smaller numbers are not milliseconds of a time.
const MILLIS: std::ops::RangeInclusive<i64> = 100_000_000_000..=99_999_999_999_999;

/// The cell text of `value` in field `field` for a person.
pub fn human(field: &str, value: &Value, utc: bool) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => human_string(field, text, utc),
        Value::Number(number) => match number.as_i64() {
            Some(n) => human_integer(Unit::of(field), n, utc).unwrap_or_else(|| n.to_string()),
            None => number.to_string(),
        },
        Value::Bool(b) => b.to_string(),
        Value::Object(_) | Value::Array(_) => summary(value),
    }
}

fn human_string(field: &str, text: &str, utc: bool) -> String {
    if let Some(time) = rfc3339(text) {
        return show_time(time, utc);
    }
    let unit = Unit::of(field);
    if unit != Unit::Plain && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(shown) = text.parse().ok().and_then(|n| human_integer(unit, n, utc)) {
            return shown;
        }
    }
    one_line(text)
}

fn human_integer(unit: Unit, n: i64, utc: bool) -> Option<String> {
    match unit {
        Unit::EpochMillis if MILLIS.contains(&n) => {
            DateTime::<Utc>::from_timestamp_millis(n).map(|t| show_time(t.fixed_offset(), utc))
        }
        Unit::Bytes if n >= 0 => Some(ByteSize::b(n as u64).display().iec().to_string()),
        Unit::BytesPerSecond if n >= 0 => {
            Some(format!("{}/s", ByteSize::b(n as u64).display().iec()))
        }
        Unit::Percent => Some(format!("{n}%")),
        _ => None,
    }
}

/// A time in RFC 3339, if `text` is one (a date alone is not).
fn rfc3339(text: &str) -> Option<DateTime<chrono::FixedOffset>> {
    if text.len() < 20 || text.as_bytes().get(10).is_none_or(|b| !b"Tt ".contains(b)) {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok()
}

/// A time as RFC 3339 to the second, in the local zone or in UTC.
pub fn show_time(time: DateTime<chrono::FixedOffset>, utc: bool) -> String {
    if utc {
        time.with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    } else {
        time.with_timezone(&Local)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}

/// A nested value in a few words: an object by its name, message or id (else how many fields
/// it has), a list by its items.
pub fn summary(value: &Value) -> String {
    match value {
        Value::Object(fields) => {
            for key in [
                "name",
                "message_l10n",
                "message",
                "msgText",
                "description",
                "id",
                "rel",
                "href",
            ] {
                if let Some(Value::String(s)) = fields.get(key) {
                    return one_line(s);
                }
            }
            match fields.len() {
                0 => String::new(),
                1 => "{1 field}".to_string(),
                n => format!("{{{n} fields}}"),
            }
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(summary).collect();
            parts.join(", ")
        }
        Value::String(s) => one_line(s),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The cell text of `value` for `text` output: raw, one line.
pub fn raw(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => one_line(s),
        other => one_line(&other.to_string()),
    }
}

/// `text` with tabs, line breaks and other control characters as spaces.
pub fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn units_come_from_field_names() {
        assert_eq!(Unit::of("start_time"), Unit::EpochMillis);
        assert_eq!(Unit::of("queuedStartTime"), Unit::EpochMillis);
        assert_eq!(Unit::of("lastmodifiedtime"), Unit::EpochMillis);
        assert_eq!(Unit::of("last_update_timestamp"), Unit::EpochMillis);
        assert_eq!(Unit::of("size"), Unit::Bytes);
        assert_eq!(Unit::of("logical_used"), Unit::Bytes);
        assert_eq!(Unit::of("current_transfer_rate"), Unit::BytesPerSecond);
        assert_eq!(Unit::of("progress_percentage"), Unit::Percent);
        assert_eq!(Unit::of("name"), Unit::Plain);
        assert_eq!(Unit::of("sized_by"), Unit::Plain);
    }

    #[test]
    fn people_get_readable_cells() {
        // ViPR's epoch milliseconds and PowerStore's RFC 3339 strings, in UTC.
        assert_eq!(
            human("start_time", &json!(1_714_557_600_000i64), true),
            "2024-05-01T10:00:00Z"
        );
        assert_eq!(
            human(
                "last_update_timestamp",
                &json!("2024-05-01T12:00:00.250+02:00"),
                true
            ),
            "2024-05-01T10:00:00Z"
        );
        assert_eq!(
            human("lastmodifiedtime", &json!("1714557600000"), true),
            "2024-05-01T10:00:00Z"
        );
        // A small number in a time field is not a time.
        assert_eq!(human("step_time", &json!(15), true), "15");
        assert_eq!(human("size", &json!(17_179_869_184i64), true), "16.0 GiB");
        assert_eq!(human("size", &json!("1536"), true), "1.5 KiB");
        assert_eq!(
            human("current_transfer_rate", &json!(104_857_600), true),
            "100.0 MiB/s"
        );
        assert_eq!(human("progress_percentage", &json!(45), true), "45%");
        assert_eq!(human("name", &json!("two\nlines"), true), "two lines");
        assert_eq!(human("x", &Value::Null, true), "");
    }

    #[test]
    fn nested_values_are_summarised() {
        let error =
            json!({"code": "0xE03", "message_l10n": "The source stopped.", "arguments": []});
        assert_eq!(human("error", &error, true), "The source stopped.");
        assert_eq!(
            human("ips", &json!(["10.0.0.1", "10.0.0.2"]), true),
            "10.0.0.1, 10.0.0.2"
        );
        assert_eq!(
            human(
                "volumes",
                &json!([{"id": "v1", "name": "a"}, {"id": "v2"}]),
                true
            ),
            "a, v2"
        );
        assert_eq!(human("x", &json!({"a": 1, "b": 2}), true), "{2 fields}");
    }

    #[test]
    fn scripts_get_raw_cells() {
        assert_eq!(raw(&json!(1_714_557_600_000i64)), "1714557600000");
        assert_eq!(raw(&json!("a\tb\nc")), "a b c");
        assert_eq!(raw(&json!({"a": [1, 2]})), r#"{"a":[1,2]}"#);
        assert_eq!(raw(&Value::Null), "");
    }
}

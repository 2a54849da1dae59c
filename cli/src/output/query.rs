//! `--query EXPR`: a JMESPath expression applied to the JSON form of a result before it is
//! formatted, as the aws CLI's `--query` does.
//!
//! JMESPath rather than a jq dialect: it is what the storage admins' other tools (aws and az
//! CLIs) take in the same flag, an expression gives exactly one result (jq gives a stream, which
//! does not fit one table), it has a specification with a compliance suite, and the `jmespath`
//! crate needs only serde and serde_json. The expression is compiled when the command line is
//! parsed, so a malformed one is refused (exit 2) before anything is sent.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

/// A compiled `--query` expression.
#[derive(Clone)]
pub struct Query {
    text: String,
    expression: Arc<jmespath::Expression<'static>>,
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Query").field(&self.text).finish()
    }
}

impl Query {
    /// Compiles `text` (a clap value parser: the message follows clap's "invalid value for
    /// '--query <EXPR>':").
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            return Err("empty; give a JMESPath expression, e.g. '[].name'".to_string());
        }
        let expression = jmespath::compile(text).map_err(|e| {
            format!(
                "not a JMESPath expression: {}",
                e.to_string().trim_end().replace('\n', "\n  ")
            )
        })?;
        Ok(Self {
            text: text.to_string(),
            expression: Arc::new(expression),
        })
    }

    /// The result of the expression on `value`.
    pub fn apply(&self, value: &Value) -> Result<Value, String> {
        let result = self
            .expression
            .search(value)
            .map_err(|e| format!("--query {:?}: {}", self.text, first_line(&e.to_string())))?;
        serde_json::to_value(&*result)
            .map_err(|e| format!("--query {:?}: the result is not JSON: {e}", self.text))
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_and_reshapes() {
        let sessions = json!([
            {"id": "a", "name": "db01", "state": "Failed"},
            {"id": "b", "name": "db02", "state": "Ready_For_Cutover"},
        ]);
        let names = Query::parse("[].name").unwrap().apply(&sessions).unwrap();
        assert_eq!(names, json!(["db01", "db02"]));
        let failed = Query::parse("[?state=='Failed'].{id: id, name: name}")
            .unwrap()
            .apply(&sessions)
            .unwrap();
        assert_eq!(failed, json!([{"id": "a", "name": "db01"}]));
        let count = Query::parse("length(@)").unwrap().apply(&sessions).unwrap();
        assert_eq!(count, json!(2));
        let missing = Query::parse("nothing").unwrap().apply(&json!({})).unwrap();
        assert_eq!(missing, Value::Null);
    }

    #[test]
    fn bad_expressions_are_refused_when_parsed() {
        assert!(Query::parse("").unwrap_err().starts_with("empty"));
        let e = Query::parse("[?state=='x'").unwrap_err();
        assert!(
            e.starts_with("not a JMESPath expression: Parse error"),
            "{e}"
        );
        let e = Query::parse("nosuch(@)")
            .unwrap()
            .apply(&json!(1))
            .unwrap_err();
        assert!(e.contains("nosuch"), "{e}");
    }
}

//! What kind of value a template's variable holds, so the forms can show a toggle, a list of
//! choices or a number box with its range, and the server and the browser check a value by the
//! same rule.

use serde::{Deserialize, Serialize};

/// One choice of an enumeration: the value stored, and what the form shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VarChoice {
    /// The value the server gets (`hard`).
    pub value: String,
    /// What the form shows (`Hard`).
    pub label: String,
}

/// The kind of a variable's value. Older template documents have none: [`VarKind::Text`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VarKind {
    /// Free text (the template's rule, when it has one, still applies).
    #[default]
    Text,
    /// `true` or `false`, shown as a toggle.
    Bool,
    /// A whole number from `min` to `max`.
    Number {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// One of a list.
    Choice {
        /// The choices, in the order the form shows them.
        options: Vec<VarChoice>,
    },
}

/// Most choices one variable may list.
pub const MAX_CHOICES: usize = 64;

impl VarKind {
    /// Checks the kind itself (a template's author may get it wrong): a range whose ends are in
    /// order, one to [`MAX_CHOICES`] choices with distinct, non-empty values.
    pub fn check(&self) -> Result<(), String> {
        match self {
            VarKind::Text | VarKind::Bool => Ok(()),
            VarKind::Number { min, max } if min > max => {
                Err(format!("the range {min} to {max} is empty"))
            }
            VarKind::Number { .. } => Ok(()),
            VarKind::Choice { options } => {
                if options.is_empty() || options.len() > MAX_CHOICES {
                    return Err(format!("1 to {MAX_CHOICES} choices"));
                }
                let mut seen = std::collections::HashSet::new();
                for o in options {
                    if o.value.is_empty() || o.label.trim().is_empty() {
                        return Err("every choice needs a value and a label".into());
                    }
                    if !seen.insert(o.value.as_str()) {
                        return Err(format!("the choice {:?} is listed twice", o.value));
                    }
                }
                Ok(())
            }
        }
    }

    /// Checks a (non-empty) value; the message completes "`<label>` must …".
    pub fn accepts(&self, value: &str) -> Result<(), String> {
        match self {
            VarKind::Text => Ok(()),
            VarKind::Bool if value == "true" || value == "false" => Ok(()),
            VarKind::Bool => Err("be on or off (true or false)".into()),
            VarKind::Number { min, max } => match value.parse::<i64>() {
                Ok(n) if (*min..=*max).contains(&n) => Ok(()),
                _ => Err(format!("be a whole number from {min} to {max}")),
            },
            VarKind::Choice { options } if options.iter().any(|o| o.value == value) => Ok(()),
            VarKind::Choice { options } => Err(format!(
                "be one of {}",
                options
                    .iter()
                    .map(|o| o.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(values: &[&str]) -> VarKind {
        VarKind::Choice {
            options: values
                .iter()
                .map(|v| VarChoice {
                    value: v.to_string(),
                    label: v.to_uppercase(),
                })
                .collect(),
        }
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert!(VarKind::Text.accepts("anything at all").is_ok());
        assert!(VarKind::Bool.accepts("true").is_ok());
        assert!(VarKind::Bool.accepts("false").is_ok());
        assert_eq!(
            VarKind::Bool.accepts("yes").unwrap_err(),
            "be on or off (true or false)"
        );
        let n = VarKind::Number { min: 1, max: 100 };
        assert!(n.accepts("1").is_ok() && n.accepts("100").is_ok());
        for bad in ["0", "101", "1.5", " 5", "five", "99999999999999999999"] {
            assert_eq!(
                n.accepts(bad).unwrap_err(),
                "be a whole number from 1 to 100",
                "{bad}"
            );
        }
        let c = choice(&["easy", "hard"]);
        assert!(c.accepts("hard").is_ok());
        assert_eq!(c.accepts("HARD").unwrap_err(), "be one of easy, hard");
    }

    #[test]
    fn kinds_are_checked() {
        assert!(VarKind::Number { min: 5, max: 1 }.check().is_err());
        assert!(VarKind::Number { min: 5, max: 5 }.check().is_ok());
        assert!(choice(&[]).check().is_err());
        assert!(choice(&["a", "a"]).check().is_err());
        assert!(choice(&[""]).check().is_err());
        assert!(choice(&["a", "b"]).check().is_ok());
    }

    #[test]
    fn documents_without_a_kind_read_as_text() {
        #[derive(Deserialize, utoipa::ToSchema)]
        struct Doc {
            #[serde(default)]
            kind: VarKind,
        }
        let d: Doc = serde_json::from_str("{}").unwrap();
        assert_eq!(d.kind, VarKind::Text);
        let d: Doc =
            serde_json::from_str(r#"{"kind": {"type": "number", "min": 1, "max": 20}}"#).unwrap();
        assert_eq!(d.kind, VarKind::Number { min: 1, max: 20 });
    }
}

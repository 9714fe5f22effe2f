//! The claim that makes a user an administrator: `groups=panel-admins` (a list holding the
//! value, or a string equal to it), `realm_access.roles=admin` (a dotted path into nested
//! objects, as Keycloak puts roles), or a bare `panel_admin` (a boolean true).

use serde_json::{Map, Value};

/// Which claim, and which value of it, makes an administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminClaim {
    path: Vec<String>,
    value: Option<String>,
}

impl std::str::FromStr for AdminClaim {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (path, value) = match s.split_once('=') {
            Some((path, value)) => (path.trim(), Some(value.trim())),
            None => (s.trim(), None),
        };
        let path: Vec<String> = path.split('.').map(str::to_owned).collect();
        if path.iter().any(String::is_empty) || value == Some("") {
            return Err(format!(
                "`{s}` is not a claim: write `groups=panel-admins`, `realm_access.roles=admin` or `panel_admin`"
            ));
        }
        Ok(AdminClaim {
            path,
            value: value.map(str::to_owned),
        })
    }
}

impl std::fmt::Display for AdminClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.path.join("."))?;
        match &self.value {
            Some(v) => write!(f, "={v}"),
            None => Ok(()),
        }
    }
}

impl AdminClaim {
    /// Whether `claims` make their holder an administrator.
    pub fn holds(&self, claims: &Map<String, Value>) -> bool {
        let mut at = claims.get(&self.path[0]);
        for key in &self.path[1..] {
            at = at.and_then(|v| v.get(key));
        }
        match (at, &self.value) {
            (Some(Value::Array(items)), Some(want)) => {
                items.iter().any(|i| i.as_str() == Some(want.as_str()))
            }
            (Some(Value::String(s)), Some(want)) => s == want,
            (Some(Value::Bool(b)), None) => *b,
            (Some(Value::Bool(b)), Some(want)) => b.to_string() == *want,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(rule: &str, claims: Value) -> bool {
        let rule: AdminClaim = rule.parse().unwrap();
        rule.holds(claims.as_object().unwrap())
    }

    #[test]
    fn lists_strings_paths_and_booleans() {
        assert!(holds(
            "groups=admins",
            json!({"groups": ["users", "admins"]})
        ));
        assert!(!holds(
            "groups=admins",
            json!({"groups": ["users", "admins-2"]})
        ));
        assert!(!holds("groups=admins", json!({"groups": []})));
        assert!(!holds("groups=admins", json!({})));
        assert!(holds("role=admin", json!({"role": "admin"})));
        assert!(!holds("role=admin", json!({"role": "administrator"})));
        assert!(holds(
            "realm_access.roles=panel",
            json!({"realm_access": {"roles": ["panel"]}})
        ));
        assert!(!holds(
            "realm_access.roles=panel",
            json!({"realm_access": "panel"})
        ));
        assert!(holds("panel_admin", json!({"panel_admin": true})));
        assert!(!holds("panel_admin", json!({"panel_admin": false})));
        assert!(!holds("panel_admin", json!({"panel_admin": "true"})));
        assert!(!holds("groups", json!({"groups": ["admins"]})));
    }

    #[test]
    fn malformed_rules_are_refused() {
        for bad in ["", "groups=", ".groups=a", "a..b=c", "=admins"] {
            assert!(bad.parse::<AdminClaim>().is_err(), "{bad}");
        }
        let rule: AdminClaim = " realm_access.roles = admin ".parse().unwrap();
        assert_eq!(rule.to_string(), "realm_access.roles=admin");
    }
}

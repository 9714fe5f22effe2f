//! Input rules shared by the browser (early feedback) and the server (the authority).

/// Longest username accepted.
pub const USERNAME_MAX: usize = 32;
/// Shortest password accepted.
pub const PASSWORD_MIN: usize = 10;
/// Longest password accepted: bcrypt reads at most 72 bytes, and silently ignoring the rest
/// would be worse than refusing.
pub const PASSWORD_MAX_BYTES: usize = 72;

/// Checks a username: 3 to 32 characters, ASCII letters, digits, `.`, `_` and `-`, beginning
/// with a letter or digit.
pub fn username(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if !(3..=USERNAME_MAX).contains(&len) {
        return Err(format!(
            "The username must be 3 to {USERNAME_MAX} characters long."
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("The username must begin with a letter or a digit.".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(
            "The username may hold only letters, digits, dots, dashes and underscores.".into(),
        );
    }
    Ok(())
}

/// Checks an e-mail address as far as a panel needs: one `@` between two non-empty parts, no
/// spaces or control characters, 3 to 254 characters.
pub fn email(address: &str) -> Result<(), String> {
    let ok = (3..=254).contains(&address.chars().count())
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(address.split_once('@'), Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if ok {
        Ok(())
    } else {
        Err("Enter an e-mail address such as alex@example.com.".into())
    }
}

/// Checks a new password's length (in characters at least, in bytes at most).
pub fn new_password(password: &str) -> Result<(), String> {
    if password.chars().count() < PASSWORD_MIN {
        return Err(format!(
            "The password must be at least {PASSWORD_MIN} characters long."
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(format!(
            "The password must be at most {PASSWORD_MAX_BYTES} bytes long."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["admin", "Steve_2", "a.b-c", "abc", &"x".repeat(32)] {
            assert!(username(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "ab",
            &"x".repeat(33),
            "-admin",
            ".x1",
            "bad name",
            "ädmin",
            "a/b",
            "a\nb",
        ] {
            assert!(username(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords() {
        assert!(new_password("correct horse").is_ok());
        assert!(new_password("short").is_err());
        assert!(new_password(&"x".repeat(72)).is_ok());
        assert!(new_password(&"x".repeat(73)).is_err());
        // 10 characters but 30 bytes: fine; 25 three-byte characters (75 bytes): refused
        assert!(new_password(&"€".repeat(10)).is_ok());
        assert!(new_password(&"€".repeat(25)).is_err());
    }
}

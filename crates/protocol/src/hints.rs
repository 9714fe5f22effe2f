//! Console lines that mean the owner must do something, and what: a server whose Java is too
//! old for the game or a mod (`UnsupportedClassVersionError`), and one whose EULA is not
//! accepted. The console shows the hint above the lines, once.

/// What a line asks of the owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// The code needs Java `needs` or later; `tag` is the itzg image tag that fits.
    Java {
        /// The Java version the class files were built for.
        needs: u32,
        /// `java21`.
        tag: String,
    },
    /// Mojang's EULA is not accepted.
    Eula,
}

/// The Java versions the itzg image is published for, as tags `java<N>`.
pub const ITZG_JAVA: [u32; 6] = [8, 11, 16, 17, 21, 25];

/// The hint of a console line (colour codes may be in it), if it has one.
pub fn hint_for(line: &str) -> Option<Hint> {
    if line.contains("UnsupportedClassVersionError") || line.contains("class file version") {
        // "... (class file version 65.0), this version of the Java Runtime only recognizes
        // class file versions up to 61.0": the first number is what the code needs
        let at = line.find("class file version ")? + "class file version ".len();
        let digits: String = line[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let class: u32 = digits.parse().ok()?;
        let needs = class.checked_sub(44).filter(|n| (5..=99).contains(n))?;
        let fits = ITZG_JAVA
            .iter()
            .find(|j| **j >= needs)
            .copied()
            .unwrap_or(needs);
        return Some(Hint::Java {
            needs,
            tag: format!("java{fits}"),
        });
    }
    // most lines name no EULA: look closer only at those that do
    if !line.contains("EULA") && !line.contains("eula") {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    // the game's, mcsim's, and the itzg image's ("Please accept the Minecraft EULA at ...")
    if lower.contains("agree to the eula")
        || lower.contains("eula has not been accepted")
        || lower.contains("accept the minecraft eula")
    {
        return Some(Hint::Eula);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_versions_map_to_the_image_that_runs_them() {
        let line = "Exception in thread \"main\" java.lang.UnsupportedClassVersionError: net/minecraft/bundler/Main has been compiled by a more recent version of the Java Runtime (class file version 65.0), this version of the Java Runtime only recognizes class file versions up to 61.0";
        assert_eq!(
            hint_for(line),
            Some(Hint::Java {
                needs: 21,
                tag: "java21".into()
            })
        );
        let mod_line = "Caused by: java.lang.UnsupportedClassVersionError: com/example/Mod has been compiled by a more recent version of the Java Runtime (class file version 62.0), this version only recognizes class file versions up to 60.0";
        assert_eq!(
            hint_for(mod_line),
            Some(Hint::Java {
                needs: 18,
                tag: "java21".into()
            })
        );
        assert_eq!(hint_for("class file version x"), None);
    }

    #[test]
    fn the_eula_is_asked_for() {
        assert_eq!(
            hint_for(
                "[12:00:00] [ServerMain/INFO]: You need to agree to the EULA in order to run the server. Go to eula.txt for more info."
            ),
            Some(Hint::Eula)
        );
        assert_eq!(
            hint_for(
                "\u{1b}[31m[init] ERROR: Mojang's EULA has not been accepted: set EULA to TRUE\u{1b}[0m"
            ),
            Some(Hint::Eula)
        );
        assert_eq!(
            hint_for("[init] Please accept the Minecraft EULA at"),
            Some(Hint::Eula)
        );
        assert_eq!(hint_for("[Server] hello"), None);
    }
}

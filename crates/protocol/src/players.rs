//! Who may play: the whitelist, the operators and the bans of a server as its Players card shows
//! them, and the actions on them (kick, ban, pardon, op, deop, whitelist on, off, add, remove),
//! with the rules for player names and reasons the browser and the server share.

use serde::{Deserialize, Serialize};

/// Longest player name Minecraft allows.
pub const NAME_MAX: usize = 16;
/// Longest reason for a kick or a ban, in characters.
pub const REASON_MAX: usize = 100;

/// A player on a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Listed {
    /// The player's name.
    pub name: String,
    /// The profile's UUID, as the server wrote it (empty when it wrote none).
    #[serde(default)]
    pub uuid: String,
}

/// An operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Operator {
    /// The player.
    #[serde(flatten)]
    pub player: Listed,
    /// Permission level, 1 to 4.
    pub level: u8,
}

/// A banned player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Banned {
    /// The player.
    #[serde(flatten)]
    pub player: Listed,
    /// Why.
    pub reason: String,
    /// Who banned them (`Server` for the console).
    pub source: String,
    /// When, as the server wrote it.
    pub created: String,
    /// Until when (`forever`).
    pub expires: String,
}

/// A server's player lists.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlayerLists {
    /// Whether the server was running when they were read (changes then go through its
    /// console and apply at once; else through its files, at its next start).
    pub running: bool,
    /// Whether only whitelisted players may join (`white-list` in `server.properties`).
    pub whitelist_on: bool,
    /// The whitelist.
    pub whitelist: Vec<Listed>,
    /// The operators.
    pub ops: Vec<Operator>,
    /// The bans.
    pub bans: Vec<Banned>,
}

/// What to do to a player, or to the whitelist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PlayerAction {
    /// Disconnect an online player.
    Kick {
        /// Who.
        player: String,
        /// Why (shown to them); empty: the server's default.
        #[serde(default)]
        reason: String,
    },
    /// Ban a player (and disconnect them).
    Ban {
        /// Who.
        player: String,
        /// Why; empty: the server's default.
        #[serde(default)]
        reason: String,
    },
    /// Lift a ban.
    Pardon {
        /// Who.
        player: String,
    },
    /// Make a player an operator (level 4).
    Op {
        /// Who.
        player: String,
    },
    /// Take operator rights away.
    Deop {
        /// Who.
        player: String,
    },
    /// Add a player to the whitelist.
    WhitelistAdd {
        /// Who.
        player: String,
    },
    /// Remove a player from the whitelist.
    WhitelistRemove {
        /// Who.
        player: String,
    },
    /// Turn the whitelist on or off.
    Whitelist {
        /// On.
        on: bool,
    },
}

impl PlayerAction {
    /// The player it is about, if any.
    pub fn player(&self) -> Option<&str> {
        match self {
            PlayerAction::Kick { player, .. }
            | PlayerAction::Ban { player, .. }
            | PlayerAction::Pardon { player }
            | PlayerAction::Op { player }
            | PlayerAction::Deop { player }
            | PlayerAction::WhitelistAdd { player }
            | PlayerAction::WhitelistRemove { player } => Some(player),
            PlayerAction::Whitelist { .. } => None,
        }
    }

    /// Its name in the audit log (`player.ban`).
    pub fn audit_name(&self) -> &'static str {
        match self {
            PlayerAction::Kick { .. } => "player.kick",
            PlayerAction::Ban { .. } => "player.ban",
            PlayerAction::Pardon { .. } => "player.pardon",
            PlayerAction::Op { .. } => "player.op",
            PlayerAction::Deop { .. } => "player.deop",
            PlayerAction::WhitelistAdd { .. } => "player.whitelist_add",
            PlayerAction::WhitelistRemove { .. } => "player.whitelist_remove",
            PlayerAction::Whitelist { on: true } => "player.whitelist_on",
            PlayerAction::Whitelist { on: false } => "player.whitelist_off",
        }
    }

    /// The console command doing it, after [`PlayerAction::check`].
    pub fn command(&self) -> String {
        let with_reason = |verb: &str, player: &str, reason: &str| {
            let reason = reason.trim();
            if reason.is_empty() {
                format!("{verb} {player}")
            } else {
                format!("{verb} {player} {reason}")
            }
        };
        match self {
            PlayerAction::Kick { player, reason } => with_reason("kick", player, reason),
            PlayerAction::Ban { player, reason } => with_reason("ban", player, reason),
            PlayerAction::Pardon { player } => format!("pardon {player}"),
            PlayerAction::Op { player } => format!("op {player}"),
            PlayerAction::Deop { player } => format!("deop {player}"),
            PlayerAction::WhitelistAdd { player } => format!("whitelist add {player}"),
            PlayerAction::WhitelistRemove { player } => format!("whitelist remove {player}"),
            PlayerAction::Whitelist { on } => {
                format!("whitelist {}", if *on { "on" } else { "off" })
            }
        }
    }

    /// Checks the player's name and the reason; the message says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if let Some(p) = self.player() {
            check_name(p)?;
        }
        if let PlayerAction::Kick { reason, .. } | PlayerAction::Ban { reason, .. } = self {
            check_reason(reason)?;
        }
        Ok(())
    }

    /// Whether `lists` already show it done (kicks leave no trace there: never).
    pub fn done_in(&self, lists: &PlayerLists) -> bool {
        let named = |name: &str, p: &str| name.eq_ignore_ascii_case(p);
        let on = |l: &[Listed], p: &str| l.iter().any(|x| named(&x.name, p));
        let op = |p: &str| lists.ops.iter().any(|o| named(&o.player.name, p));
        let banned = |p: &str| lists.bans.iter().any(|b| named(&b.player.name, p));
        match self {
            PlayerAction::Kick { .. } => false,
            PlayerAction::Ban { player, .. } => banned(player),
            PlayerAction::Pardon { player } => !banned(player),
            PlayerAction::Op { player } => op(player),
            PlayerAction::Deop { player } => !op(player),
            PlayerAction::WhitelistAdd { player } => on(&lists.whitelist, player),
            PlayerAction::WhitelistRemove { player } => !on(&lists.whitelist, player),
            PlayerAction::Whitelist { on } => lists.whitelist_on == *on,
        }
    }
}

/// A player name: 1 to 16 letters, digits or underscores (what Minecraft accepts; nothing a
/// console command or a file could read as more than a name).
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = (1..=NAME_MAX).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "A player name is 1 to {NAME_MAX} letters, digits or underscores."
        ))
    }
}

/// A reason: up to [`REASON_MAX`] characters on one line.
pub fn check_reason(reason: &str) -> Result<(), String> {
    if reason.chars().count() > REASON_MAX || reason.chars().any(char::is_control) {
        return Err(format!(
            "A reason is one line of up to {REASON_MAX} characters."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_reasons_are_checked() {
        for ok in ["Alex", "a", "Steve_2", "ABCDEFGHIJKLMNOP"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "ABCDEFGHIJKLMNOPQ",
            "two words",
            "Alex;stop",
            "../x",
            "Zoë",
            "a\nstop",
            "@a",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_reason("griefing the spawn").is_ok());
        assert!(check_reason("line\nstop").is_err());
        assert!(check_reason(&"x".repeat(101)).is_err());
    }

    #[test]
    fn actions_read_as_the_api_sends_them_and_become_commands() {
        let a: PlayerAction =
            serde_json::from_str(r#"{"action": "ban", "player": "Alex", "reason": "grief"}"#)
                .unwrap();
        assert_eq!(a.command(), "ban Alex grief");
        let a: PlayerAction =
            serde_json::from_str(r#"{"action": "whitelist", "on": true}"#).unwrap();
        assert_eq!(a.command(), "whitelist on");
        let a: PlayerAction =
            serde_json::from_str(r#"{"action": "kick", "player": "Alex"}"#).unwrap();
        assert_eq!(a.command(), "kick Alex");
        assert!(serde_json::from_str::<PlayerAction>(r#"{"action": "smite"}"#).is_err());
    }

    #[test]
    fn done_reads_the_lists_without_case() {
        let lists = PlayerLists {
            whitelist: vec![Listed {
                name: "alex".into(),
                uuid: String::new(),
            }],
            ..Default::default()
        };
        let add = PlayerAction::WhitelistAdd {
            player: "Alex".into(),
        };
        assert!(add.done_in(&lists));
        assert!(
            PlayerAction::Pardon {
                player: "Alex".into()
            }
            .done_in(&lists)
        );
        assert!(!PlayerAction::Whitelist { on: true }.done_in(&lists));
    }
}

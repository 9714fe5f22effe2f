//! Who may play on a server: its whitelist, operators and bans, and the actions on them.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::player_lists;
use protocol::AppError;
use protocol::players::{PlayerAction, PlayerLists};

/// The server's whitelist (and whether it is on), operators and bans, read from its folder.
#[server(prefix = "/api", endpoint = "players", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn get_player_lists(id: Uuid) -> Result<PlayerLists, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    player_lists::lists(&state, &actor, id).await
}

/// Kicks, bans, pardons, ops or deops a player, adds one to the whitelist or removes one, or
/// turns the whitelist on or off: through the console while the server runs (at once), through
/// its files while it is stopped (at its next start). Returns the lists after it.
#[server(prefix = "/api", endpoint = "player_action", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn act_on_player(id: Uuid, action: PlayerAction) -> Result<PlayerLists, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    player_lists::act(&state, &actor, id, action).await
}

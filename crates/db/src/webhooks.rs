//! Webhooks and their deliveries: the queue the delivery worker takes from (claimed with
//! `FOR UPDATE SKIP LOCKED`, so replicas share it) and the log a webhook's card shows.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::{webhook_deliveries, webhooks};

/// How many deliveries a webhook's log keeps.
pub const LOG_KEPT: i64 = 50;

/// A row of `webhooks`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks, check_for_backend(diesel::pg::Pg))]
pub struct Webhook {
    /// Id.
    pub id: Uuid,
    /// The server it tells of (None: every server).
    pub server_id: Option<Uuid>,
    /// Its name.
    pub name: String,
    /// Where deliveries go.
    pub url: String,
    /// `discord` or `json`.
    pub format: String,
    /// The HMAC key of its JSON deliveries.
    pub secret: String,
    /// The events it is told (their names).
    pub events: Vec<String>,
    /// Off: nothing is queued for it.
    pub active: bool,
    /// Who made it.
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// What may change on a webhook (None: unchanged).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = webhooks)]
pub struct WebhookChanges {
    /// Its name.
    pub name: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its events.
    pub events: Option<Vec<String>>,
    /// On or off.
    pub active: Option<bool>,
}

/// A row of `webhook_deliveries`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries, check_for_backend(diesel::pg::Pg))]
pub struct Delivery {
    /// Id.
    pub id: Uuid,
    /// Its webhook.
    pub webhook_id: Uuid,
    /// The event's name.
    pub event: String,
    /// What keeps it from being queued twice.
    pub dedupe: String,
    /// The event as the payload is made from.
    pub payload: serde_json::Value,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Tries so far.
    pub attempts: i32,
    /// When to try next (while pending).
    pub next_at: DateTime<Utc>,
    /// The receiver's last status.
    pub last_status: Option<i32>,
    /// Why the last try failed.
    pub last_error: Option<String>,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
    /// When it was delivered or given up.
    pub finished_at: Option<DateTime<Utc>>,
}

impl Webhook {
    /// Stores a new webhook.
    pub async fn create(conn: &mut AsyncPgConnection, hook: &Webhook) -> Result<Webhook> {
        Ok(diesel::insert_into(webhooks::table)
            .values(hook)
            .returning(Webhook::as_returning())
            .get_result(conn)
            .await?)
    }

    /// The webhook with this id.
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Webhook>> {
        Ok(webhooks::table
            .find(id)
            .select(Webhook::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// A server's webhooks (None: the panel's own), oldest first.
    pub async fn of(conn: &mut AsyncPgConnection, server: Option<Uuid>) -> Result<Vec<Webhook>> {
        let q = webhooks::table.select(Webhook::as_select()).into_boxed();
        let q = match server {
            Some(id) => q.filter(webhooks::server_id.eq(id)),
            None => q.filter(webhooks::server_id.is_null()),
        };
        Ok(q.order(webhooks::created_at).load(conn).await?)
    }

    /// The active webhooks told of `event` on `server`: its own and the panel's.
    pub async fn listening(
        conn: &mut AsyncPgConnection,
        server: Option<Uuid>,
        event: &str,
    ) -> Result<Vec<Webhook>> {
        let q = webhooks::table
            .select(Webhook::as_select())
            .filter(webhooks::active.eq(true))
            .filter(webhooks::events.contains(vec![event.to_owned()]))
            .into_boxed();
        let q = match server {
            Some(id) => q.filter(webhooks::server_id.eq(id).or(webhooks::server_id.is_null())),
            None => q.filter(webhooks::server_id.is_null()),
        };
        Ok(q.load(conn).await?)
    }

    /// Applies changes; None when there is no such webhook.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        changes: &WebhookChanges,
    ) -> Result<Option<Webhook>> {
        if changes.name.is_none()
            && changes.url.is_none()
            && changes.events.is_none()
            && changes.active.is_none()
        {
            return Webhook::find(conn, id).await;
        }
        Ok(diesel::update(webhooks::table.find(id))
            .set(changes)
            .returning(Webhook::as_returning())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Deletes a webhook and its log; false when there was none.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool> {
        Ok(diesel::delete(webhooks::table.find(id))
            .execute(conn)
            .await?
            == 1)
    }
}

impl Delivery {
    /// Queues `event` for `webhook` unless one with the same `dedupe` is queued already
    /// (another replica saw it too), and trims the log to its last [`LOG_KEPT`]. True when
    /// queued.
    pub async fn enqueue(
        conn: &mut AsyncPgConnection,
        webhook: Uuid,
        event: &str,
        dedupe: &str,
        payload: &serde_json::Value,
    ) -> Result<bool> {
        let n = diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::id.eq(Uuid::new_v4()),
                webhook_deliveries::webhook_id.eq(webhook),
                webhook_deliveries::event.eq(event),
                webhook_deliveries::dedupe.eq(dedupe),
                webhook_deliveries::payload.eq(payload),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        diesel::sql_query(
            "DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND state <> 'pending' AND id IN \
             (SELECT id FROM webhook_deliveries WHERE webhook_id = $1 \
              ORDER BY created_at DESC OFFSET $2)",
        )
        .bind::<diesel::sql_types::Uuid, _>(webhook)
        .bind::<diesel::sql_types::BigInt, _>(LOG_KEPT)
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Claims up to `limit` due deliveries for `lease_secs` (their `next_at` moves on, so no
    /// other replica takes them meanwhile), with their webhooks.
    pub async fn claim_due(
        conn: &mut AsyncPgConnection,
        limit: i64,
        lease_secs: i32,
    ) -> Result<Vec<(Delivery, Webhook)>> {
        let ids: Vec<Uuid> = diesel::sql_query(
            "UPDATE webhook_deliveries SET next_at = now() + make_interval(secs => $2) \
             WHERE id IN (SELECT id FROM webhook_deliveries \
                          WHERE state = 'pending' AND next_at <= now() \
                          ORDER BY next_at LIMIT $1 FOR UPDATE SKIP LOCKED) \
             RETURNING id",
        )
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .bind::<diesel::sql_types::Integer, _>(lease_secs)
        .load::<ClaimedId>(conn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(webhook_deliveries::table
            .inner_join(webhooks::table)
            .filter(webhook_deliveries::id.eq_any(ids))
            .select((Delivery::as_select(), Webhook::as_select()))
            .load(conn)
            .await?)
    }

    /// Records a try: delivered, failed for good, or pending until `next_at` — only if the row
    /// still has the `claimed_attempts` it was claimed with (a replica whose lease ran out
    /// does not write over the next one's outcome).
    pub async fn record(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        claimed_attempts: i32,
        state: &str,
        status: Option<i32>,
        error: Option<&str>,
        next_at: DateTime<Utc>,
    ) -> Result<()> {
        let finished = (state != "pending").then(Utc::now);
        diesel::update(
            webhook_deliveries::table
                .find(id)
                .filter(webhook_deliveries::attempts.eq(claimed_attempts)),
        )
        .set((
            webhook_deliveries::state.eq(state),
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::last_status.eq(status),
            webhook_deliveries::last_error.eq(error),
            webhook_deliveries::next_at.eq(next_at),
            webhook_deliveries::finished_at.eq(finished),
        ))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// How many of a webhook's deliveries wait.
    pub async fn pending(conn: &mut AsyncPgConnection, webhook: Uuid) -> Result<i64> {
        Ok(webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(webhook))
            .filter(webhook_deliveries::state.eq("pending"))
            .count()
            .get_result(conn)
            .await?)
    }

    /// A webhook's log, newest first.
    pub async fn log(conn: &mut AsyncPgConnection, webhook: Uuid) -> Result<Vec<Delivery>> {
        Ok(webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(webhook))
            .order(webhook_deliveries::created_at.desc())
            .limit(LOG_KEPT)
            .select(Delivery::as_select())
            .load(conn)
            .await?)
    }
}

#[derive(QueryableByName)]
struct ClaimedId {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

//! Game servers: the desired state (template, plan, variables, running or not) and the last
//! status the cluster reported. Creation checks the owner's quota atomically.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use protocol::{Desired, ServerState};
use uuid::Uuid;

use crate::error::conflict_on_unique;
use crate::schema::{kept_worlds, servers, users};
use crate::server_ports::{ServerPort, TxError, free_node_port, settle};
use crate::users::User;
use crate::{Error, Result};

/// A row of `servers`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = servers, check_for_backend(diesel::pg::Pg))]
pub struct Server {
    /// Public id (also a label on its Kubernetes objects).
    pub id: Uuid,
    /// The name a person chose (a DNS-1123 label, unique among servers).
    pub name: String,
    /// Owner.
    pub owner_id: Uuid,
    /// Template.
    pub template_id: Uuid,
    /// Plan.
    pub plan_id: Uuid,
    /// Variable values (JSON object of strings).
    pub variables: serde_json::Value,
    /// Whether it should run.
    pub desired: Desired,
    /// The last status seen.
    pub status: ServerState,
    /// Why (for crashed and error).
    pub status_reason: Option<String>,
    /// Made at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
    /// Variables saved while it ran, applied at the next start or restart.
    pub pending_variables: Option<serde_json::Value>,
    /// The size its volume claim template was created with (None: its plan's disk).
    pub claim_gib: Option<i32>,
    /// A plan chosen while it ran, taken at its next start or restart.
    pub pending_plan_id: Option<Uuid>,
    /// The name of its Kubernetes objects (a DNS-1035 label made from its id; never reused).
    pub object_name: String,
    /// The storage class its world was created on (None: the cluster's default).
    pub storage_class: Option<String>,
    /// The node port of its game Service (`nodeport` exposure), allocated at creation.
    pub node_port: Option<i32>,
    /// Minutes without a player after which the panel stops it (None: never).
    pub idle_stop_minutes: Option<i32>,
}

/// A server to create.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = servers)]
pub struct NewServer {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// The name of its objects: [`object_name_for`] of the id, or a kept world's.
    pub object_name: String,
    /// The storage class of its world (None: the cluster's default).
    pub storage_class: Option<String>,
    /// Owner.
    pub owner_id: Uuid,
    /// Template.
    pub template_id: Uuid,
    /// Plan.
    pub plan_id: Uuid,
    /// Variables.
    pub variables: serde_json::Value,
    /// Desired state.
    pub desired: Desired,
}

/// Which quota a creation would exceed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuotaExceeded {
    /// Number of servers.
    Servers {
        /// The limit.
        max: i32,
    },
    /// Total memory.
    Memory {
        /// The limit, MiB.
        max: i32,
        /// Already used, MiB.
        used: i64,
    },
    /// Total disk.
    Disk {
        /// The limit, GiB.
        max: i32,
        /// Already used, GiB.
        used: i64,
    },
    /// Every node port of the operator's range is taken (not a user's quota: the panel's).
    NodePorts {
        /// The range's first port.
        first: i32,
        /// The range's last port.
        last: i32,
    },
}

impl Server {
    /// Inserts `new` if the owner's quota allows it. The owner's row is locked for the check, so
    /// parallel creations for one user are serialised and can never exceed the quota together.
    ///
    /// With `node_ports` (the operator's inclusive range), the server also gets a free port of
    /// it, picked at random among the free ones under an advisory lock, in the same transaction,
    /// and one for each of `extra_ports` (its template's extra ports' names). A refusal leaves
    /// nothing behind.
    pub async fn create_within_quota(
        conn: &mut AsyncPgConnection,
        new: NewServer,
        plan_memory_mib: i32,
        plan_disk_gib: i32,
        node_ports: Option<(i32, i32)>,
        extra_ports: &[String],
    ) -> Result<std::result::Result<Server, QuotaExceeded>> {
        let extra_ports = extra_ports.to_vec();
        let created = conn
            .transaction::<_, TxError<QuotaExceeded>, _>(async move |conn| {
                let owner: User = users::table
                    .find(new.owner_id)
                    .for_update()
                    .select(User::as_select())
                    .first(conn)
                    .await?;
                let Usage {
                    count,
                    memory,
                    disk,
                } = usage(conn, owner.id, None).await?;
                if count + 1 > i64::from(owner.max_servers) {
                    return Ok(Err(QuotaExceeded::Servers {
                        max: owner.max_servers,
                    }));
                }
                if memory + i64::from(plan_memory_mib) > i64::from(owner.max_memory_mib) {
                    return Ok(Err(QuotaExceeded::Memory {
                        max: owner.max_memory_mib,
                        used: memory,
                    }));
                }
                if disk + i64::from(plan_disk_gib) > i64::from(owner.max_disk_gib) {
                    return Ok(Err(QuotaExceeded::Disk {
                        max: owner.max_disk_gib,
                        used: disk,
                    }));
                }
                let port = match node_ports {
                    None => None,
                    Some((first, last)) => match free_node_port(conn, first, last).await? {
                        Some(p) => Some(p),
                        None => return Ok(Err(QuotaExceeded::NodePorts { first, last })),
                    },
                };
                let server = diesel::insert_into(servers::table)
                    .values((&new, servers::node_port.eq(port)))
                    .returning(Server::as_returning())
                    .get_result(conn)
                    .await
                    .map_err(|e| conflict_on_unique(e, "a server with that name already exists"))?;
                if let Some((first, last)) = node_ports {
                    ServerPort::allocate(conn, server.id, &extra_ports, (first, last))
                        .await?
                        .map_err(|_| TxError::Refused(QuotaExceeded::NodePorts { first, last }))?;
                }
                Ok(Ok(server))
            })
            .await;
        settle(created).map(|r| r.and_then(|inner| inner))
    }

    /// Moves a server to `plan` within its owner's quota (the owner's row locked, as at
    /// creation): at once when `now`, else as its pending plan. `claim_gib` is the size of its
    /// claim template, kept from now on.
    pub async fn change_plan_within_quota(
        conn: &mut AsyncPgConnection,
        server: &Server,
        plan: &crate::Plan,
        now: bool,
        claim_gib: i32,
    ) -> Result<std::result::Result<Server, QuotaExceeded>> {
        let (id, owner_id, plan_id) = (server.id, server.owner_id, plan.id);
        let (plan_memory, plan_disk) = (plan.memory_mib, plan.disk_gib);
        conn.transaction::<_, Error, _>(async move |conn| {
            let owner: User = users::table
                .find(owner_id)
                .for_update()
                .select(User::as_select())
                .first(conn)
                .await?;
            let Usage { memory, disk, .. } = usage(conn, owner.id, Some(id)).await?;
            if memory + i64::from(plan_memory) > i64::from(owner.max_memory_mib) {
                return Ok(Err(QuotaExceeded::Memory {
                    max: owner.max_memory_mib,
                    used: memory,
                }));
            }
            if disk + i64::from(plan_disk) > i64::from(owner.max_disk_gib) {
                return Ok(Err(QuotaExceeded::Disk {
                    max: owner.max_disk_gib,
                    used: disk,
                }));
            }
            let row = diesel::update(servers::table.find(id));
            let claim = servers::claim_gib.eq(Some(claim_gib));
            let updated = if now {
                row.set((
                    servers::plan_id.eq(plan_id),
                    servers::pending_plan_id.eq(None::<Uuid>),
                    claim,
                    servers::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Server::as_returning())
                .get_result(conn)
                .await?
            } else {
                row.set((
                    servers::pending_plan_id.eq(Some(plan_id)),
                    claim,
                    servers::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Server::as_returning())
                .get_result(conn)
                .await?
            };
            Ok(Ok(updated))
        })
        .await
    }

    /// Puts back a server's plan fields (a plan change the cluster refused).
    pub async fn restore_plan(conn: &mut AsyncPgConnection, before: &Server) -> Result<()> {
        diesel::update(servers::table.find(before.id))
            .set((
                servers::plan_id.eq(before.plan_id),
                servers::pending_plan_id.eq(before.pending_plan_id),
                servers::claim_gib.eq(before.claim_gib),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// One server.
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Server>> {
        Ok(servers::table
            .find(id)
            .select(Server::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The server whose Kubernetes objects are named `object_name`.
    pub async fn by_object_name(
        conn: &mut AsyncPgConnection,
        object_name: &str,
    ) -> Result<Option<Server>> {
        Ok(servers::table
            .filter(servers::object_name.eq(object_name))
            .select(Server::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The servers among `ids` that exist.
    pub async fn find_many(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<Vec<Server>> {
        Ok(servers::table
            .filter(servers::id.eq_any(ids))
            .select(Server::as_select())
            .load(conn)
            .await?)
    }

    /// Every server (admins), by name.
    pub async fn all(conn: &mut AsyncPgConnection) -> Result<Vec<Server>> {
        Ok(servers::table
            .order(servers::name)
            .select(Server::as_select())
            .load(conn)
            .await?)
    }

    /// The servers wanted running that have an idle stop (what the idle check looks at).
    pub async fn running_with_idle_stop(conn: &mut AsyncPgConnection) -> Result<Vec<Server>> {
        Ok(servers::table
            .filter(servers::idle_stop_minutes.is_not_null())
            .filter(servers::desired.eq(Desired::Running))
            .select(Server::as_select())
            .load(conn)
            .await?)
    }

    /// A user's servers, by name.
    pub async fn owned_by(conn: &mut AsyncPgConnection, owner: Uuid) -> Result<Vec<Server>> {
        Ok(servers::table
            .filter(servers::owner_id.eq(owner))
            .order(servers::name)
            .select(Server::as_select())
            .load(conn)
            .await?)
    }

    /// How many servers have each status (for the metrics).
    pub async fn count_by_status(conn: &mut AsyncPgConnection) -> Result<Vec<(ServerState, i64)>> {
        Ok(servers::table
            .group_by(servers::status)
            .select((servers::status, diesel::dsl::count_star()))
            .load(conn)
            .await?)
    }

    /// The servers `user` owns or is a member of, by name.
    pub async fn visible_to(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Vec<Server>> {
        use crate::schema::server_members;
        let shared = server_members::table
            .filter(server_members::user_id.eq(user))
            .select(server_members::server_id);
        Ok(servers::table
            .filter(servers::owner_id.eq(user).or(servers::id.eq_any(shared)))
            .order(servers::name)
            .select(Server::as_select())
            .load(conn)
            .await?)
    }

    /// Sets the desired state; returns the row.
    pub async fn set_desired(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        desired: Desired,
    ) -> Result<Server> {
        Ok(diesel::update(servers::table.find(id))
            .set((
                servers::desired.eq(desired),
                servers::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Server::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Sets (or clears) the minutes without a player after which the panel stops the server.
    pub async fn set_idle_stop(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        minutes: Option<i32>,
    ) -> Result<Server> {
        Ok(diesel::update(servers::table.find(id))
            .set((
                servers::idle_stop_minutes.eq(minutes),
                servers::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Server::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Marks a stopped server as wanted running (something else started it: a player through
    /// the router); None when it was not stopped (a person's start or stop came first).
    pub async fn wake(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Server>> {
        Ok(diesel::update(
            servers::table
                .find(id)
                .filter(servers::desired.eq(Desired::Stopped)),
        )
        .set((
            servers::desired.eq(Desired::Running),
            servers::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Server::as_returning())
        .get_result(conn)
        .await
        .optional()?)
    }

    /// Records a status; returns whether it changed.
    pub async fn set_status(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        status: ServerState,
        reason: Option<&str>,
    ) -> Result<bool> {
        let n = diesel::update(
            servers::table.find(id).filter(
                servers::status
                    .ne(status)
                    .or(servers::status_reason.is_distinct_from(reason)),
            ),
        )
        .set((
            servers::status.eq(status),
            servers::status_reason.eq(reason),
        ))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Sets a provisional status (`stopping` after a stop) only if the status is still `from`:
    /// when the status watch got there first with the real outcome, the guess is dropped.
    pub async fn set_status_if(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        from: ServerState,
        to: ServerState,
    ) -> Result<bool> {
        let n = diesel::update(servers::table.find(id).filter(servers::status.eq(from)))
            .set((
                servers::status.eq(to),
                servers::status_reason.eq(None::<String>),
            ))
            .execute(conn)
            .await?;
        Ok(n == 1)
    }

    /// Saves variables: at once when the server is stopped, else as pending until the next
    /// start or restart. Returns the row.
    /// Moves a stopped server to another template with `values` (None when it is not stopped:
    /// a start came first).
    pub async fn set_template(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        template_id: Uuid,
        values: serde_json::Value,
    ) -> Result<Option<Server>> {
        Ok(diesel::update(
            servers::table
                .find(id)
                .filter(servers::desired.eq(Desired::Stopped)),
        )
        .set((
            servers::template_id.eq(template_id),
            servers::variables.eq(&values),
            servers::pending_variables.eq(None::<serde_json::Value>),
            servers::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Server::as_returning())
        .get_result(conn)
        .await
        .optional()?)
    }

    pub async fn save_variables(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        values: serde_json::Value,
    ) -> Result<Server> {
        let row = diesel::update(
            servers::table
                .find(id)
                .filter(servers::desired.eq(Desired::Stopped)),
        )
        .set((
            servers::variables.eq(&values),
            servers::pending_variables.eq(None::<serde_json::Value>),
            servers::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Server::as_returning())
        .get_result(conn)
        .await
        .optional()?;
        match row {
            Some(r) => Ok(r),
            None => Ok(diesel::update(servers::table.find(id))
                .set((
                    servers::pending_variables.eq(Some(values)),
                    servers::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Server::as_returning())
                .get_result(conn)
                .await?),
        }
    }

    /// Makes pending variables and plan the current ones (at a start or restart). Returns the
    /// row.
    pub async fn promote_pending(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Server> {
        let promoted = diesel::update(
            servers::table.find(id).filter(
                servers::pending_variables
                    .is_not_null()
                    .or(servers::pending_plan_id.is_not_null()),
            ),
        )
        .set((
            servers::variables.eq(diesel::dsl::sql::<diesel::sql_types::Jsonb>(
                "COALESCE(pending_variables, variables)",
            )),
            servers::pending_variables.eq(None::<serde_json::Value>),
            servers::plan_id.eq(diesel::dsl::sql::<diesel::sql_types::Uuid>(
                "COALESCE(pending_plan_id, plan_id)",
            )),
            servers::pending_plan_id.eq(None::<Uuid>),
        ))
        .returning(Server::as_returning())
        .get_result(conn)
        .await
        .optional()?;
        match promoted {
            Some(s) => Ok(s),
            None => Server::find(conn, id)
                .await?
                .ok_or(Error::Query(diesel::result::Error::NotFound)),
        }
    }

    /// Deletes the row.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool> {
        Ok(diesel::delete(servers::table.find(id))
            .execute(conn)
            .await?
            == 1)
    }

    /// Deletes the row and records its world as kept for its owner (one transaction), so that
    /// only that owner gets it back ([`KeptWorld::take`]).
    pub async fn delete_keeping_world(
        conn: &mut AsyncPgConnection,
        server: &Server,
        disk_gib: i32,
    ) -> Result<bool> {
        let kept = KeptWorld {
            object_name: server.object_name.clone(),
            owner_id: server.owner_id,
            server_name: server.name.clone(),
            disk_gib,
            kept_at: Utc::now(),
        };
        let id = server.id;
        conn.transaction::<_, Error, _>(async move |conn| {
            // its backups' rows stay with the world (their snapshots stay in its repository)
            diesel::sql_query(
                "INSERT INTO kept_backups (id, object_name, name, locked, snapshot_id, files, \
                 bytes, added_bytes, error, started_by, started_at, finished_at) \
                 SELECT b.id, s.object_name, b.name, b.locked, b.snapshot_id, b.files, b.bytes, \
                 b.added_bytes, b.error, b.started_by, b.started_at, b.finished_at \
                 FROM backups b JOIN servers s ON s.id = b.server_id \
                 WHERE b.server_id = $1 AND b.state = 'done' AND b.snapshot_id IS NOT NULL \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind::<diesel::sql_types::Uuid, _>(id)
            .execute(conn)
            .await?;
            let gone = diesel::delete(servers::table.find(id))
                .execute(conn)
                .await?
                == 1;
            if gone {
                diesel::insert_into(kept_worlds::table)
                    .values(&kept)
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
            }
            Ok(gone)
        })
        .await
    }
}

/// The name of a new server's Kubernetes objects: `mc-` and its id's 32 hex digits. A DNS-1035
/// label (a Service name must start with a letter) that no other server, past or future, gets.
pub fn object_name_for(id: Uuid) -> String {
    format!("mc-{}", id.simple())
}

/// Gives the server `server` the backups its world `object_name` kept (as done backups of
/// it); returns how many.
pub async fn adopt_kept_backups(
    conn: &mut AsyncPgConnection,
    object_name: &str,
    server: Uuid,
) -> Result<usize> {
    Ok(diesel::sql_query(
        "WITH moved AS (DELETE FROM kept_backups WHERE object_name = $1 RETURNING *) \
         INSERT INTO backups (id, server_id, name, state, locked, snapshot_id, files, bytes, \
         added_bytes, error, started_by, started_at, updated_at, finished_at) \
         SELECT id, $2, name, 'done'::backup_state, locked, snapshot_id, files, bytes, added_bytes, error, \
         started_by, started_at, now(), finished_at FROM moved \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(object_name)
    .bind::<diesel::sql_types::Uuid, _>(server)
    .execute(conn)
    .await?)
}

/// Forgets the backups a world kept (it was deleted for good, with its repository).
pub async fn forget_kept_backups(conn: &mut AsyncPgConnection, object_name: &str) -> Result<()> {
    diesel::sql_query("DELETE FROM kept_backups WHERE object_name = $1")
        .bind::<diesel::sql_types::Text, _>(object_name)
        .execute(conn)
        .await?;
    Ok(())
}

/// A world whose server was deleted with "keep the world": its volume claim still exists.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = kept_worlds, check_for_backend(diesel::pg::Pg))]
pub struct KeptWorld {
    /// The name of the deleted server's objects (its claim is `data-<object_name>-0`).
    pub object_name: String,
    /// Whose it is.
    pub owner_id: Uuid,
    /// The deleted server's name.
    pub server_name: String,
    /// Its claim's size, GiB.
    pub disk_gib: i32,
    /// When it was kept.
    pub kept_at: DateTime<Utc>,
}

impl KeptWorld {
    /// Takes the newest world `owner` kept under `server_name`, if any, removing its record in
    /// the same statement (two creations can never both take it): a new server of that owner
    /// and name is then made on it.
    pub async fn take(
        conn: &mut AsyncPgConnection,
        owner: Uuid,
        server_name: &str,
    ) -> Result<Option<KeptWorld>> {
        Ok(diesel::sql_query(
            "DELETE FROM kept_worlds WHERE object_name = (SELECT object_name FROM kept_worlds \
             WHERE owner_id = $1 AND server_name = $2 ORDER BY kept_at DESC LIMIT 1) \
             RETURNING *",
        )
        .bind::<diesel::sql_types::Uuid, _>(owner)
        .bind::<diesel::sql_types::Text, _>(server_name)
        .get_result(conn)
        .await
        .optional()?)
    }

    /// The worlds `owner` kept, newest first; every kept world when `owner` is None.
    pub async fn list(conn: &mut AsyncPgConnection, owner: Option<Uuid>) -> Result<Vec<KeptWorld>> {
        let mut q = kept_worlds::table
            .order(kept_worlds::kept_at.desc())
            .into_boxed();
        if let Some(o) = owner {
            q = q.filter(kept_worlds::owner_id.eq(o));
        }
        Ok(q.select(KeptWorld::as_select()).load(conn).await?)
    }

    /// Takes the world whose objects are `object_name`, if it is `owner`'s (anyone's when
    /// `owner` is None), removing its record: it is about to be deleted for good.
    pub async fn take_by_object_name(
        conn: &mut AsyncPgConnection,
        object_name: &str,
        owner: Option<Uuid>,
    ) -> Result<Option<KeptWorld>> {
        let mut q = diesel::delete(kept_worlds::table)
            .filter(kept_worlds::object_name.eq(object_name))
            .into_boxed();
        if let Some(o) = owner {
            q = q.filter(kept_worlds::owner_id.eq(o));
        }
        Ok(q.returning(KeptWorld::as_returning())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// The worlds kept before `before` (past their expiry), oldest first.
    pub async fn kept_before(
        conn: &mut AsyncPgConnection,
        before: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<KeptWorld>> {
        Ok(kept_worlds::table
            .filter(kept_worlds::kept_at.lt(before))
            .order(kept_worlds::kept_at.asc())
            .select(KeptWorld::as_select())
            .load(conn)
            .await?)
    }

    /// Puts a taken world back (when creating its new server failed).
    pub async fn put_back(conn: &mut AsyncPgConnection, world: &KeptWorld) -> Result<()> {
        diesel::insert_into(kept_worlds::table)
            .values(world)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// What an owner's servers take: how many, and the memory and disk of their plans (the pending
/// plan where there is one: it is what they will take); their kept worlds take disk too, until
/// deleted for good.
#[derive(QueryableByName)]
struct Usage {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    memory: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    disk: i64,
}

async fn usage(conn: &mut AsyncPgConnection, owner: Uuid, except: Option<Uuid>) -> Result<Usage> {
    Ok(diesel::sql_query(
        "SELECT count(*) AS count, COALESCE(sum(p.memory_mib), 0)::bigint AS memory, \
         (COALESCE(sum(p.disk_gib), 0) + (SELECT COALESCE(sum(k.disk_gib), 0) \
           FROM kept_worlds k WHERE k.owner_id = $1))::bigint AS disk \
         FROM servers s JOIN plans p ON p.id = COALESCE(s.pending_plan_id, s.plan_id) \
         WHERE s.owner_id = $1 AND s.id IS DISTINCT FROM $2",
    )
    .bind::<diesel::sql_types::Uuid, _>(owner)
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::Uuid>, _>(except)
    .get_result(conn)
    .await?)
}

//! Node ports: the one of a server's game port (`servers.node_port`) and those of its
//! template's extra ports (`server_ports`), all from the operator's range, never two alike.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::server_ports;
use crate::{Error, Result};

/// The advisory lock that serialises node port allocation (parallel creates never pick the same
/// port; the unique columns are the backstop).
const NODE_PORT_LOCK: i64 = 0x6e6f_6465_706f_7274;

/// A free port of `first..=last` (neither a server's game port nor an extra port's), at
/// random; None when all are taken. Takes the allocation lock until the transaction ends.
pub(crate) async fn free_node_port(
    conn: &mut AsyncPgConnection,
    first: i32,
    last: i32,
) -> Result<Option<i32>> {
    use diesel::sql_types::{BigInt, Integer};
    #[derive(QueryableByName)]
    struct Port {
        #[diesel(sql_type = Integer)]
        port: i32,
    }
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(NODE_PORT_LOCK)
        .execute(conn)
        .await?;
    let port: Option<Port> = diesel::sql_query(
        "SELECT p AS port FROM generate_series($1, $2) AS p \
         WHERE NOT EXISTS (SELECT 1 FROM servers WHERE node_port = p) \
         AND NOT EXISTS (SELECT 1 FROM server_ports WHERE node_port = p) \
         ORDER BY random() LIMIT 1",
    )
    .bind::<Integer, _>(first)
    .bind::<Integer, _>(last)
    .get_result(conn)
    .await
    .optional()?;
    Ok(port.map(|p| p.port))
}

/// The error of a transaction that may be refused (and then rolled back, leaving nothing).
pub(crate) enum TxError<R> {
    /// Postgres failed.
    Db(Error),
    /// Refused for `R`; everything the transaction wrote is undone.
    Refused(R),
}

impl<R> From<diesel::result::Error> for TxError<R> {
    fn from(e: diesel::result::Error) -> Self {
        TxError::Db(Error::Query(e))
    }
}

impl<R> From<Error> for TxError<R> {
    fn from(e: Error) -> Self {
        TxError::Db(e)
    }
}

/// The answer of a refusable transaction: a refusal is an `Ok(Err(_))`, as the callers expect.
pub(crate) fn settle<T, R>(
    r: std::result::Result<T, TxError<R>>,
) -> Result<std::result::Result<T, R>> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(TxError::Refused(r)) => Ok(Err(r)),
        Err(TxError::Db(e)) => Err(e),
    }
}

/// A row of `server_ports`: the node port of one of a server's extra ports.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = server_ports, check_for_backend(diesel::pg::Pg))]
pub struct ServerPort {
    /// The server.
    pub server_id: Uuid,
    /// The extra port's name in its template.
    pub name: String,
    /// Its node port.
    pub node_port: i32,
}

/// The operator's range ran out while allocating extra ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodePortsExhausted;

impl ServerPort {
    /// The node ports of `server`'s extra ports, by name.
    pub async fn of(conn: &mut AsyncPgConnection, server: Uuid) -> Result<HashMap<String, i32>> {
        let rows: Vec<ServerPort> = server_ports::table
            .filter(server_ports::server_id.eq(server))
            .select(ServerPort::as_select())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(|r| (r.name, r.node_port)).collect())
    }

    /// Every server's extra node ports (the reconciler's and the lists' one query).
    pub async fn all(conn: &mut AsyncPgConnection) -> Result<HashMap<Uuid, HashMap<String, i32>>> {
        let rows: Vec<ServerPort> = server_ports::table
            .select(ServerPort::as_select())
            .load(conn)
            .await?;
        let mut out: HashMap<Uuid, HashMap<String, i32>> = HashMap::new();
        for r in rows {
            out.entry(r.server_id)
                .or_default()
                .insert(r.name, r.node_port);
        }
        Ok(out)
    }

    /// Gives `server` a node port of `first..=last` for each of `names` it lacks and frees those
    /// of names no longer declared, inside the caller's transaction (under the allocation lock).
    pub(crate) async fn allocate(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        names: &[String],
        (first, last): (i32, i32),
    ) -> Result<std::result::Result<(), NodePortsExhausted>> {
        diesel::delete(
            server_ports::table
                .filter(server_ports::server_id.eq(server))
                .filter(server_ports::name.ne_all(names)),
        )
        .execute(conn)
        .await?;
        let held: Vec<String> = server_ports::table
            .filter(server_ports::server_id.eq(server))
            .select(server_ports::name)
            .load(conn)
            .await?;
        for name in names.iter().filter(|n| !held.contains(n)) {
            let Some(node_port) = free_node_port(conn, first, last).await? else {
                return Ok(Err(NodePortsExhausted));
            };
            diesel::insert_into(server_ports::table)
                .values(ServerPort {
                    server_id: server,
                    name: name.clone(),
                    node_port,
                })
                .execute(conn)
                .await?;
        }
        Ok(Ok(()))
    }

    /// [`ServerPort::allocate`] in a transaction of its own: for a server whose template's
    /// extra ports changed since it was made (at its next start). Nothing changes when the range
    /// runs out.
    pub async fn ensure(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        names: &[String],
        range: (i32, i32),
    ) -> Result<std::result::Result<HashMap<String, i32>, NodePortsExhausted>> {
        let names = names.to_vec();
        settle(
            conn.transaction::<_, TxError<NodePortsExhausted>, _>(async move |conn| {
                Self::allocate(conn, server, &names, range)
                    .await?
                    .map_err(TxError::Refused)?;
                Ok(Self::of(conn, server).await?)
            })
            .await,
        )
    }
}

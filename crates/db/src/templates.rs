//! Server templates ("eggs"). The template itself is a JSON document (`spec`) the cluster crate
//! reads; this table keeps it with its name.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::templates;

/// A row of `templates`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = templates, check_for_backend(diesel::pg::Pg))]
pub struct Template {
    /// Id.
    pub id: Uuid,
    /// Short unique name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// The template document.
    pub spec: serde_json::Value,
    /// Made at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl Template {
    /// Every template, by name.
    pub async fn all(conn: &mut AsyncPgConnection) -> Result<Vec<Template>> {
        Ok(templates::table
            .order(templates::name)
            .select(Template::as_select())
            .load(conn)
            .await?)
    }

    /// One template.
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Template>> {
        Ok(templates::table
            .find(id)
            .select(Template::as_select())
            .first(conn)
            .await
            .optional()?)
    }
}

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

/// A template to insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = templates)]
pub struct NewTemplate<'a> {
    /// Short unique name.
    pub slug: &'a str,
    /// Display name.
    pub name: &'a str,
    /// What it is.
    pub description: &'a str,
    /// The template document.
    pub spec: serde_json::Value,
}

impl Template {
    /// Inserts a template; a taken slug is [`crate::Error::Conflict`].
    pub async fn create(conn: &mut AsyncPgConnection, new: &NewTemplate<'_>) -> Result<Template> {
        diesel::insert_into(templates::table)
            .values(new)
            .returning(Template::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| {
                crate::error::conflict_on_unique(e, "a template with that slug already exists")
            })
    }

    /// Replaces the document of the template `slug` (the sandbox's own, when the panel ships a
    /// newer one); returns whether one was there.
    pub async fn replace_spec(
        conn: &mut AsyncPgConnection,
        slug: &str,
        spec: &serde_json::Value,
    ) -> Result<bool> {
        let n = diesel::update(templates::table.filter(templates::slug.eq(slug)))
            .set(templates::spec.eq(spec))
            .execute(conn)
            .await?;
        Ok(n > 0)
    }

    /// Deletes a template no server uses; returns false when servers still use it.
    pub async fn delete_unused(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool> {
        use crate::schema::servers;
        let used: i64 = servers::table
            .filter(servers::template_id.eq(id))
            .count()
            .get_result(conn)
            .await?;
        if used > 0 {
            return Ok(false);
        }
        diesel::delete(templates::table.find(id))
            .execute(conn)
            .await?;
        Ok(true)
    }

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

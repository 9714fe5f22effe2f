//! The private Postgres of a panel run without DATABASE_URL: made with the system's initdb,
//! reachable on its Unix socket only, migrated, stopped, and reused on the next start.

use server::postgres::PrivatePostgres;

#[tokio::test(flavor = "multi_thread")]
async fn private_postgres_starts_migrates_stops_and_restarts() {
    let dir = std::env::temp_dir().join(format!("panel-pg-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();

    // Given no database: the panel makes and starts its own.
    let pg = PrivatePostgres::start(&dir)
        .await
        .expect("private Postgres starts");
    assert!(
        pg.url().contains("host="),
        "connects over the Unix socket: {}",
        pg.url()
    );
    let pool = db::connect(&pg.url(), 2).unwrap();
    assert!(
        db::migrate(&pool).await.unwrap() >= 2,
        "the first start applies the migrations"
    );
    db::ping(&pool).await.unwrap();
    // It listens on no TCP port.
    let conf = std::fs::read_to_string(dir.join("postgres.log")).unwrap_or_default();
    assert!(!conf.contains("listening on IPv4"), "{conf}");
    pool.close();
    pg.stop().await.unwrap();
    assert!(
        db::ping(&db::connect(&pg.url(), 1).unwrap()).await.is_err(),
        "stopped"
    );

    // When started again, the same cluster and data come back.
    let pg = PrivatePostgres::start(&dir).await.unwrap();
    let pool = db::connect(&pg.url(), 2).unwrap();
    assert_eq!(db::migrate(&pool).await.unwrap(), 0, "already migrated");
    pool.close();
    pg.stop().await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

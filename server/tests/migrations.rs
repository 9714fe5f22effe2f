//! Panels started together on a fresh database (the chart's replicas on a first install) take
//! turns migrating: all of them come up, and each migration ran once.

mod common;

use diesel_async::RunQueryDsl;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panels_started_together_on_a_fresh_database_all_come_up() {
    let db = common::TestDb::new().await;
    // four panels, each with its own pool (its own process in production)
    let pools: Vec<db::Pool> = (0..4).map(|_| db::connect(&db.url, 2).unwrap()).collect();
    let runs = futures::future::join_all(pools.iter().map(db::migrate)).await;
    let mut ran = Vec::new();
    for r in runs {
        ran.push(r.expect("every panel migrates or finds the work done"));
    }
    let total: usize = ran.iter().sum();
    assert!(
        ran.iter().filter(|&&n| n > 0).count() == 1,
        "one panel did the work: {ran:?}"
    );
    let mut c = pools[0].get().await.unwrap();
    let applied: Count = diesel::sql_query("SELECT count(*) AS n FROM __diesel_schema_migrations")
        .get_result(&mut c)
        .await
        .unwrap();
    assert_eq!(applied.n as usize, total, "each migration ran once");
    // and a panel started later finds nothing to do
    assert_eq!(db::migrate(&pools[1]).await.unwrap(), 0);
}

//! Job leases: one named lock per background job, shared by every node on the database.
//!
//! Acquiring is a short sequence of single statements, each atomic on every backend:
//! 1. insert the lease for us if no row of that name exists (insert-if-absent; a concurrent
//!    insert of the same name waits on the primary key and then does nothing);
//! 2. take it if it is ours or expired: `UPDATE … WHERE name = ? AND (holder = us OR
//!    expires <= now)`. The row lock serialises competing takers and the loser re-checks the
//!    condition, so at most one holder wins. The row count of this statement decides: sqlx
//!    connects to MySQL with `CLIENT_FOUND_ROWS`, so every backend counts *matched* rows, and a
//!    renewal that changes nothing still counts;
//! 3. only if it matched nothing, the holder is read back with a locking read (`FOR UPDATE` on
//!    PostgreSQL and MySQL, which sees the latest version even inside an older MySQL snapshot),
//!    so the answer would stay right on a connection that counts changed rows only.
//!
//! The insert's own row count is not used: MySQL's `ON DUPLICATE KEY UPDATE` reports 1 for an
//! existing row under `CLIENT_FOUND_ROWS`.

use passwords_store::StoreResult;

use crate::dialect::Special;
use crate::query::Query;
use crate::tx::SqlTx;

pub(crate) async fn acquire(
    tx: &mut SqlTx,
    name: &str,
    holder: &str,
    now: i64,
    expires: i64,
) -> StoreResult<bool> {
    const TAKE: &str = "UPDATE job_leases SET holder = ?, expires = ? \
                        WHERE name = ? AND (holder = ? OR expires <= ?)";

    let insert = Query::special("job_leases", Special::InsertLeaseIfAbsent)
        .bind(name)
        .bind(holder)
        .bind(expires);
    tx.exec(insert).await?;
    let take = Query::new("job_leases", TAKE)
        .bind(holder)
        .bind(expires)
        .bind(name)
        .bind(holder)
        .bind(now);
    if tx.exec(take).await? > 0 {
        return Ok(true);
    }
    let read = Query::special("job_leases", Special::LeaseHolderForUpdate).bind(name);
    let current = tx.fetch_optional(read, |c| c.text()).await?;
    Ok(current.as_deref() == Some(holder))
}

pub(crate) async fn release(tx: &mut SqlTx, name: &str, holder: &str) -> StoreResult<()> {
    const Q: &str = "DELETE FROM job_leases WHERE name = ? AND holder = ?";
    let q = Query::new("job_leases", Q).bind(name).bind(holder);
    tx.exec(q).await.map(drop)
}

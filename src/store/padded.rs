//! Id lists of a batch's statements, padded to one length so that each statement is prepared
//! once (its text does not change with the number of ids).

/// Ids in one list at most: the chats of one batch (`telegram::batch`).
pub const BATCH: usize = 64;

/// `$first, $first+1, …` for [`BATCH`] parameters, each cast by `cast` ("" for none).
pub(crate) fn placeholders(first: usize, cast: &str) -> String {
    (first..first + BATCH)
        .map(|i| format!("${i}{cast}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Binds `ids` padded to [`BATCH`] with repeats of the first (they change nothing).
pub(crate) fn bind_padded<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ids: &[i64],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let pad = ids.first().copied().unwrap_or_default();
    for i in 0..BATCH {
        query = query.bind(ids.get(i).copied().unwrap_or(pad));
    }
    query
}

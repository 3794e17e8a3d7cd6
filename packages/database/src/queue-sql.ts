/**
 * The labelling queue's claim, shared by the API (which serves it) and the benchmarks (which measure
 * the very statement the API runs, and feed it to pgbench for the raw SQL floor).
 */

/** The item `i` is one this labeller ($2) may take: nobody holds it, and they have not labelled or skipped it. */
export const AVAILABLE_TO_LABELLER = `
  NOT EXISTS (SELECT 1 FROM leases l WHERE l.item_id = i.id AND l.expires_at > now())
  AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id AND l.labeller_id = $2 AND l.retracted_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM skips s WHERE s.item_id = i.id AND s.labeller_id = $2)`;

/**
 * The CTEs of one claim for project $1, labeller $2, lease of $3 seconds; the caller adds the final
 * SELECT over `chosen` (lease id, item id, expiry: at most one row) and `candidate`.
 *
 * The caller's live lease if they hold one (a page reload gets the same item), else the first item they
 * may take in the project's applied ranking (its queue_ranks partition, by rank), else — the ranking used up, or none
 * applied yet — the first open item it does not cover, in import order. The item row is locked with
 * SKIP LOCKED, so concurrent claims pass over each other instead of waiting; an expired lease on it is
 * taken over by the same statement.
 */
export const CLAIM_NEXT_CTES = `
  WITH applied AS (
    SELECT s.applied_ranking_id AS ranking FROM project_queue_state s WHERE s.project_id = $1
  ),
  held AS (
    SELECT l.id, l.item_id, l.expires_at
      FROM leases l
     WHERE l.project_id = $1 AND l.labeller_id = $2 AND l.expires_at > now()
       -- (not one whose item stopped needing labels meanwhile, e.g. a lowered quota)
       AND EXISTS (SELECT 1 FROM items i WHERE i.id = l.item_id AND i.remaining_labels > 0)
     ORDER BY l.created_at DESC, l.id DESC
     LIMIT 1
  ),
  ranked AS (
    SELECT i.id
      FROM queue_ranks r JOIN items i ON i.id = r.item_id
     WHERE NOT EXISTS (SELECT 1 FROM held)
       AND r.ranking_id = (SELECT ranking FROM applied)
       AND i.project_id = $1 AND i.remaining_labels > 0 AND ${AVAILABLE_TO_LABELLER}
     ORDER BY r.rank, r.item_id
     LIMIT 1
       FOR UPDATE OF i SKIP LOCKED
  ),
  unranked AS (
    SELECT i.id
      FROM items i
     WHERE NOT EXISTS (SELECT 1 FROM held)
       AND i.project_id = $1 AND i.remaining_labels > 0
       AND NOT EXISTS (SELECT 1 FROM queue_ranks r
                        WHERE r.item_id = i.id AND r.ranking_id = (SELECT ranking FROM applied))
       AND ${AVAILABLE_TO_LABELLER}
     ORDER BY i.id
     LIMIT 1
       FOR UPDATE OF i SKIP LOCKED
  ),
  -- (the second branch runs only when the first finds nothing)
  candidate AS (
    (SELECT id FROM ranked) UNION ALL (SELECT id FROM unranked) LIMIT 1
  ),
  claimed AS (
    INSERT INTO leases AS l (project_id, item_id, labeller_id, expires_at)
    SELECT $1, candidate.id, $2, now() + make_interval(secs => $3) FROM candidate
    ON CONFLICT (item_id) DO UPDATE
       SET id = DEFAULT, labeller_id = EXCLUDED.labeller_id,
           created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
     WHERE l.expires_at <= now()
    RETURNING l.id, l.item_id, l.expires_at
  ),
  granted AS (
    INSERT INTO lease_grants (labeller_id, item_id)
    SELECT $2, item_id FROM claimed
    ON CONFLICT DO NOTHING
  ),
  chosen AS (
    SELECT * FROM held UNION ALL SELECT * FROM claimed
  )`;

/**
 * Joins an item `i` to why the queue serves it: its row in its project's applied ranking, if it has one
 * (aliases qs and r; `QUEUE_REASON_COLUMNS` reads them).
 */
export const QUEUE_REASON_JOIN = `
  LEFT JOIN project_queue_state qs ON qs.project_id = i.project_id
  LEFT JOIN queue_ranks r ON r.ranking_id = qs.applied_ranking_id AND r.item_id = i.id`;

export const QUEUE_REASON_COLUMNS = `
  r.rank, r.score, CASE WHEN r.item_id IS NOT NULL THEN qs.applied_strategy END AS strategy,
  CASE WHEN r.item_id IS NOT NULL THEN qs.applied_model_version END AS "modelVersion",
  coalesce(r.shuffled, false) AS shuffled`;

/** What a claim or a lease answers, over `chosen`-like `c` (lease id, item id, expiry) and item `i`. */
export const LEASED_ITEM_COLUMNS = `
  c.id AS "leaseId", c.expires_at AS "expiresAt", i.id AS "itemId", i.external_id AS "externalId",
  i.payload, ${QUEUE_REASON_COLUMNS}`;

/**
 * The whole claim: one row, with the leased item (all null when there is none for this labeller) and how
 * many candidates the claim found (0 with no lease: nothing to take, or every candidate locked).
 */
export const CLAIM_NEXT_SQL = `${CLAIM_NEXT_CTES}
  SELECT ${LEASED_ITEM_COLUMNS}, (SELECT count(*) FROM candidate)::int AS candidates
    FROM (SELECT 1) AS one
    LEFT JOIN chosen c ON true
    LEFT JOIN items i ON i.id = c.item_id
    ${QUEUE_REASON_JOIN}`;

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ProgressResponse } from '@foreman/contracts';
import { ITEM_GROUP_COUNTS, projectCounts, type ItemGroupCounts } from '../queue/queue.repository';

type ItemCounts = Pick<ProgressResponse, 'total' | 'fullyLabelled' | 'inProgress' | 'remaining' | 'leased'>;
type WaitingCounts = Pick<ProgressResponse, 'skipped' | 'waitingOnSkips' | 'waitingOnMembers'>;

/**
 * The live (unretracted) labels on items with at least two, the answer normalised (a multi-label set
 * sorted); and per such item: its label count, the count of its most common answer, and that answer when
 * it is the only most common one (a tie has no majority). An item with one label cannot disagree, so only
 * items whose label_count (their live labels, kept with each label) is two or more are read: with one
 * label per item, none; at a million items, a fifth of them with two labels, 3 s instead of 8.
 */
const MAJORITY_CTES = `
  shared AS (
    SELECT l.item_id, l.labeller_id,
           CASE WHEN cardinality(l.value) = 1 THEN l.value
                ELSE ARRAY(SELECT v FROM unnest(l.value) AS v ORDER BY v) END AS answer
      FROM items i JOIN labels l ON l.item_id = i.id AND l.retracted_at IS NULL
     WHERE i.project_id = $1 AND i.label_count >= 2),
  votes AS (
    SELECT item_id, answer, count(*)::int AS n FROM shared GROUP BY item_id, answer),
  per_item AS (
    SELECT item_id, sum(n)::int AS labels, max(n)::int AS top
      FROM votes GROUP BY item_id HAVING sum(n) >= 2),
  majority AS (
    SELECT v.item_id, p.labels, p.top, CASE WHEN count(*) = 1 THEN min(v.answer) END AS answer
      FROM votes v JOIN per_item p ON p.item_id = v.item_id AND v.n = p.top
     GROUP BY v.item_id, p.labels, p.top)`;

/** The numbers behind GET /projects/:id/progress; each is one statement over the project's rows. */
@Injectable()
export class ProgressRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Items in three disjoint groups, as in the queue's ProgressCounts: fully labelled (no labels still
   * needed), in progress (some labels, or leased right now), remaining (the rest); and live leases.
   */
  async itemCounts(projectId: string): Promise<ItemCounts> {
    const [row] = (await this.db.query(
      `SELECT ${ITEM_GROUP_COUNTS},
              (SELECT count(*)::int FROM leases l WHERE l.project_id = $1 AND l.expires_at > now()) AS leased
         FROM items i
        WHERE i.project_id = $1`,
      [projectId],
    )) as (ItemGroupCounts & { leased: number })[];
    return { ...projectCounts(row!), leased: row!.leased };
  }

  /**
   * Items still needing labels that no active member is left to be served: of those someone skipped, the
   * ones each member has labelled or skipped (at least one skipped it; read from the skips, which are few
   * next to the items); and those every member has labelled (read from the items labelled at least as
   * often as there are members). The labelling path never reads these.
   */
  async waitingCounts(projectId: string): Promise<WaitingCounts> {
    const [row] = (await this.db.query(
      `WITH members AS (
         SELECT m.user_id FROM project_members m JOIN users u ON u.id = m.user_id
          WHERE m.project_id = $1 AND u.active),
       skipped AS (
         SELECT DISTINCT i.id FROM skips s JOIN items i ON i.id = s.item_id
          WHERE i.project_id = $1 AND i.remaining_labels > 0),
       labelled_by_every_member AS (
         SELECT i.id FROM items i
          WHERE i.project_id = $1 AND i.remaining_labels > 0
            AND EXISTS (SELECT 1 FROM members)
            AND i.label_count >= (SELECT count(*) FROM members)
            AND NOT EXISTS (SELECT 1 FROM members m
                             WHERE NOT EXISTS (SELECT 1 FROM labels l
                                                WHERE l.item_id = i.id AND l.labeller_id = m.user_id
                                                  AND l.retracted_at IS NULL)))
       SELECT count(*)::int AS skipped,
              count(*) FILTER (
                WHERE EXISTS (SELECT 1 FROM skips s JOIN members m ON m.user_id = s.labeller_id
                               WHERE s.item_id = k.id)
                  -- (no member who may still be served it)
                  AND NOT EXISTS (
                        SELECT 1 FROM members m
                         WHERE NOT EXISTS (SELECT 1 FROM skips s
                                            WHERE s.item_id = k.id AND s.labeller_id = m.user_id)
                           AND NOT EXISTS (SELECT 1 FROM labels l
                                            WHERE l.item_id = k.id AND l.labeller_id = m.user_id
                                              AND l.retracted_at IS NULL))
              )::int AS "waitingOnSkips",
              (SELECT count(*) FROM labelled_by_every_member)::int AS "waitingOnMembers"
         FROM skipped k`,
      [projectId],
    )) as WaitingCounts[];
    return row!;
  }

  /**
   * Per labeller: live labels, and the share of their labels on items with several labels that equal
   * the item's majority (a tie counts as not agreeing); null when they have none on such items. And
   * overall: the mean, over items with several labels, of the share of labels giving the most common
   * answer. One statement, so the majorities are computed once.
   */
  async labellersAndAgreement(projectId: string): Promise<Pick<ProgressResponse, 'labellers' | 'agreement'>> {
    const rows: {
      labellerId: string;
      displayName: string;
      labels: number;
      judged: number;
      agreed: number;
      overall: number | null;
    }[] = await this.db.query(
      `WITH ${MAJORITY_CTES},
       judged AS (
         SELECT s.labeller_id, count(*)::int AS judged, count(*) FILTER (WHERE s.answer = m.answer)::int AS agreed
           FROM shared s JOIN majority m ON m.item_id = s.item_id
          GROUP BY s.labeller_id)
       SELECT c.labeller_id AS "labellerId", u.display_name AS "displayName", c.labels,
              coalesce(j.judged, 0) AS judged, coalesce(j.agreed, 0) AS agreed,
              (SELECT avg(top::float8 / labels) FROM majority) AS overall
         FROM (SELECT labeller_id, count(*)::int AS labels FROM labels
                WHERE project_id = $1 AND retracted_at IS NULL GROUP BY labeller_id) c
         JOIN users u ON u.id = c.labeller_id
         LEFT JOIN judged j ON j.labeller_id = c.labeller_id
        ORDER BY c.labels DESC, u.display_name`,
      [projectId],
    );
    return {
      // Without labels there are no labellers and no items with several labels.
      agreement: rows[0]?.overall ?? null,
      labellers: rows.map(({ labellerId, displayName, labels, judged, agreed }) => ({
        labellerId,
        displayName,
        labels,
        agreement: judged === 0 ? null : agreed / judged,
      })),
    };
  }

  /** Live labels per class, every class of the project in its order (a multi-label set counts each). */
  async classDistribution(
    projectId: string,
    classes: string[],
  ): Promise<ProgressResponse['classDistribution']> {
    return this.db.query(
      `SELECT c.class_name AS "className", count(x.class_name)::int AS count
         FROM unnest($2::text[]) WITH ORDINALITY AS c (class_name, position)
         LEFT JOIN (SELECT unnest(value) AS class_name FROM labels
                     WHERE project_id = $1 AND retracted_at IS NULL) x ON x.class_name = c.class_name
        GROUP BY c.class_name, c.position
        ORDER BY c.position`,
      [projectId, classes],
    );
  }

  /**
   * Live labels per UTC hour, without gaps, from the first hour with labels to the last (at most the
   * last `maxHours` of them).
   */
  async timeline(projectId: string, maxHours: number): Promise<ProgressResponse['timeline']> {
    const rows: { at: Date; labels: number }[] = await this.db.query(
      `WITH hours AS (
         SELECT date_trunc('hour', created_at, 'UTC') AS at, count(*)::int AS labels
           FROM labels WHERE project_id = $1 AND retracted_at IS NULL GROUP BY 1),
       bounds AS (
         SELECT max(at) AS last, greatest(min(at), max(at) - ($2::int - 1) * interval '1 hour') AS first
           FROM hours)
       SELECT s.at, coalesce(h.labels, 0) AS labels
         FROM bounds, generate_series(bounds.first, bounds.last, interval '1 hour') AS s (at)
         LEFT JOIN hours h ON h.at = s.at
        ORDER BY s.at`,
      [projectId, maxHours],
    );
    return rows.map(({ at, labels }) => ({ at: at.toISOString(), labels }));
  }
}

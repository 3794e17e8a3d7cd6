import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A class's precision or recall that is 0/0 is null in model_versions.metrics (it was stored as 0, which the
 * dashboard showed as "0 %"). Recall is 0/0 exactly when the class had no held-out items (support 0), so
 * stored versions get null there; a stored precision 0 may be 0/0 or real (the count of predictions was not
 * kept), so it stays. Reverting writes 0 for every null, as the code before this read only numbers.
 */
export class UnknownClassMetrics1765200000000 implements MigrationInterface {
  name = 'UnknownClassMetrics1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE model_versions
         SET metrics = jsonb_set(metrics, '{perClass}', (
               SELECT jsonb_agg(CASE WHEN (c ->> 'support')::int = 0 THEN c || '{"recall": null}' ELSE c END
                                ORDER BY position)
                 FROM jsonb_array_elements(metrics -> 'perClass') WITH ORDINALITY AS e (c, position)))
       WHERE jsonb_path_exists(metrics, '$.perClass[*] ? (@.support == 0 && @.recall == 0)')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE model_versions
         SET metrics = jsonb_set(metrics, '{perClass}', (
               SELECT jsonb_agg(c || jsonb_build_object(
                        'precision', coalesce(nullif(c -> 'precision', 'null'), '0'),
                        'recall', coalesce(nullif(c -> 'recall', 'null'), '0'))
                      ORDER BY position)
                 FROM jsonb_array_elements(metrics -> 'perClass') WITH ORDINALITY AS e (c, position)))
       WHERE jsonb_path_exists(metrics, '$.perClass[*] ? (@.precision == null || @.recall == null)')`);
  }
}

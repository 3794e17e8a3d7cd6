'use client';

import { useEffect, useState } from 'react';
import type { ModelVersion, ProgressResponse, Project } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { count } from '@/lib/plural';
import { getsModels } from '@/lib/models';
import { percent } from '@/lib/percent';
import type { ServiceLinks } from '@/lib/service-links';
import { signedOutPath } from '@/lib/return-path';
import { ClassDistributionChart, LearningCurveChart, TimelineChart } from './charts';
import { ClassMetricsTable } from './class-metrics';
import { WaitingItemsNotice } from './waiting-items-notice';

const REFRESH_MS = 2000;

/** The project at a glance; it refreshes itself every few seconds while labellers work. */
export function Dashboard({
  project,
  initialProgress,
  initialModels,
  links,
}: {
  project: Project;
  initialProgress: ProgressResponse;
  initialModels: ModelVersion[];
  links: ServiceLinks;
}) {
  const [progress, setProgress] = useState(initialProgress);
  const [models, setModels] = useState(initialModels);
  const [stale, setStale] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    // The next refresh is timed from the last answer, so a slow API (a large project's counts) never has
    // this page's requests pile up on it.
    const refresh = async () => {
      try {
        const [nextProgress, nextModels] = await Promise.all([
          browserApi.progress(project.id),
          browserApi.models(project.id),
        ]);
        if (cancelled) return;
        setProgress(nextProgress);
        setModels(nextModels);
        setStale(false);
      } catch (error) {
        if (cancelled) return;
        if (isApiError(error, 401)) {
          window.location.assign(signedOutPath(`/projects/${project.id}`));
        }
        setStale(true);
      }
      if (!cancelled) timer = setTimeout(refresh, REFRESH_MS);
    };
    timer = setTimeout(refresh, REFRESH_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [project.id]);

  const latest = models.reduce<ModelVersion | null>(
    (best, model) => (best === null || model.version > best.version ? model : best),
    null,
  );
  const labels = progress.labellers.reduce((sum, labeller) => sum + labeller.labels, 0);
  const sortedModels = [...models].sort((a, b) => b.version - a.version);

  return (
    <div className="dashboard">
      {stale && (
        <p className="error" role="status">
          Could not refresh; showing the last figures.
        </p>
      )}

      <section className="panel wide" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <progress
          className="big"
          value={progress.fullyLabelled}
          max={Math.max(progress.total, 1)}
          aria-label="Items fully labelled"
        />
        <dl className="stats" data-testid="queue-health">
          <div>
            <dt>Items</dt>
            <dd data-testid="stat-total">{progress.total}</dd>
          </div>
          <div>
            <dt>Fully labelled</dt>
            <dd data-testid="stat-done">{progress.fullyLabelled}</dd>
          </div>
          <div>
            <dt>In progress</dt>
            <dd>{progress.inProgress}</dd>
          </div>
          <div>
            <dt>Remaining</dt>
            <dd>{progress.remaining}</dd>
          </div>
          <div>
            <dt>Leased now</dt>
            <dd>{progress.leased}</dd>
          </div>
          <div>
            <dt>Skipped</dt>
            <dd data-testid="stat-skipped">{progress.skipped}</dd>
          </div>
          <div>
            <dt>Labels</dt>
            <dd data-testid="stat-labels">{labels}</dd>
          </div>
          <div>
            <dt>Agreement</dt>
            <dd>{percent(progress.agreement)}</dd>
          </div>
          <div>
            <dt>Model accuracy</dt>
            <dd data-testid="stat-model">
              {latest ? (
                <>
                  {percent(latest.metrics.accuracy)} <span className="stat-note">v{latest.version}</span>
                </>
              ) : (
                <span className="stat-note">{getsModels(project.inputKind) ? 'not trained yet' : 'none for images'}</span>
              )}
            </dd>
          </div>
        </dl>
        <WaitingItemsNotice projectId={project.id} progress={progress} />
      </section>

      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Labels over time</h2>
        <TimelineChart timeline={progress.timeline} />
      </section>

      <section className="panel" aria-labelledby="classes-heading">
        <h2 id="classes-heading">Class distribution</h2>
        <ClassDistributionChart classes={project.classes} distribution={progress.classDistribution} />
      </section>

      <section className="panel" aria-labelledby="labellers-heading">
        <h2 id="labellers-heading">Labellers</h2>
        {progress.labellers.length === 0 ? (
          <p className="muted">No labels yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Labeller</th>
                <th scope="col" className="number">
                  Labels
                </th>
                <th scope="col" className="number">
                  Agreement
                </th>
              </tr>
            </thead>
            <tbody>
              {progress.labellers.map((labeller) => (
                <tr key={labeller.labellerId}>
                  <td>{labeller.displayName}</td>
                  <td className="number">{labeller.labels}</td>
                  <td className="number">{percent(labeller.agreement)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="models-heading">
        <h2 id="models-heading">Model: learning curve</h2>
        <LearningCurveChart models={models} />
      </section>

      {latest && latest.metrics.perClass.length > 0 && (
        <section className="panel" aria-labelledby="class-metrics-heading">
          <h2 id="class-metrics-heading">Model: per class</h2>
          <ClassMetricsTable model={latest} />
        </section>
      )}

      <section className="panel wide" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Model versions</h2>
        {!getsModels(project.inputKind) ? (
          <p className="muted" data-testid="no-model-note">
            Models are trained for vectors and texts only (the trainer fetches no image URLs), so this image project
            gets none: its items are served in import order.
          </p>
        ) : sortedModels.length === 0 ? (
          <p className="muted">
            The trainer retrains every {count(project.retrainEveryLabels, 'label')}; the first version appears once
            the labelled items cover at least two classes (each item counts as its most common label; a tie counts as
            the class listed first).
          </p>
        ) : (
          <div className="table-scroll">
            <table data-testid="model-versions">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col" className="number">
                    Labels
                  </th>
                  <th scope="col" className="number">
                    Accuracy
                  </th>
                  <th scope="col">Evaluated by</th>
                  <th scope="col">Trained</th>
                  <th scope="col" className="number">
                    Training time
                  </th>
                  <th scope="col">Backend</th>
                </tr>
              </thead>
              <tbody>
                {sortedModels.slice(0, 20).map((model) => (
                  <tr key={model.version}>
                    <td>v{model.version}</td>
                    <td className="number">{model.labelCount}</td>
                    <td className="number">{percent(model.metrics.accuracy)}</td>
                    <td>
                      {model.metrics.evaluation} on {model.metrics.evaluatedOn}
                    </td>
                    <td>{new Date(model.trainedAt).toLocaleString()}</td>
                    <td className="number">{(model.trainingMs / 1000).toFixed(1)} s</td>
                    <td>{model.backend}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel wide" aria-labelledby="export-heading">
        <h2 id="export-heading">Export and operations</h2>
        <div className="actions">
          {(['csv', 'json', 'ndjson'] as const).map((format) => (
            <a key={format} className="button secondary" href={browserApi.exportUrl(project.id, format)} download>
              Export {format.toUpperCase()}
            </a>
          ))}
        </div>
        {(links.rabbitmq || links.adminer) && (
          <p className="small">
            {links.rabbitmq && (
              <a href={links.rabbitmq} target="_blank" rel="noreferrer">
                RabbitMQ management
              </a>
            )}
            {links.rabbitmq && links.adminer && ' · '}
            {links.adminer && (
              <a href={links.adminer} target="_blank" rel="noreferrer">
                Adminer (database)
              </a>
            )}
          </p>
        )}
      </section>
    </div>
  );
}

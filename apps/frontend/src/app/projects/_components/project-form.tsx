'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { AcquisitionStrategy, CreateProjectRequest, InputKind, Project } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { isApiError } from '@/lib/api/errors';
import { readableProblems } from '@/lib/api/problems';
import { getsModels } from '@/lib/models';
import { signedOutPath } from '@/lib/return-path';

const DEFAULTS = {
  name: '',
  description: '',
  classes: [] as string[],
  multiLabel: false,
  inputKind: 'vector' as InputKind,
  shape: [8, 8] as number[] | null,
  labelsPerItem: 1,
  leaseSeconds: 600,
  strategy: 'entropy' as AcquisitionStrategy,
  shuffleProportion: 0.1,
  retrainEveryLabels: 10,
  retrainAfterSeconds: 30,
};

const STRATEGIES: { value: AcquisitionStrategy; label: string }[] = [
  { value: 'entropy', label: 'Entropy (most uncertain overall)' },
  { value: 'margin', label: 'Margin (closest top two classes)' },
  { value: 'least-confidence', label: 'Least confidence' },
  { value: 'random', label: 'Random (no active learning)' },
];

/** The API's field names as this form labels them, so its problems read "Labels per item must be …". */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  classes: 'Classes',
  multiLabel: 'Several classes per item',
  inputKind: 'Input kind',
  shape: 'Display shape',
  labelsPerItem: 'Labels per item',
  leaseSeconds: 'Lease',
  strategy: 'Strategy',
  shuffleProportion: 'Shuffle',
  retrainEveryLabels: 'Retrain every N labels',
  retrainAfterSeconds: 'Retrain after seconds',
};

function parseClasses(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

function parseShape(text: string): number[] | null {
  const parts = text
    .split(/[x×,\s]+/i)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  return parts.map(Number);
}

/** Create (no project) or edit (a project) every setting of a project. */
export function ProjectForm({ project }: { project?: Project }) {
  const router = useRouter();
  const initial = project ?? DEFAULTS;
  const [inputKind, setInputKind] = useState<InputKind>(initial.inputKind);
  // Image projects get no model and are served in import order, so the active learning settings would do
  // nothing there; they are not offered, and keep what they were.
  const learns = getsModels(inputKind);
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const request: CreateProjectRequest = {
      name: text('name'),
      description: text('description'),
      classes: parseClasses(text('classes')),
      multiLabel: form.get('multiLabel') === 'on',
      inputKind,
      shape: inputKind === 'vector' ? parseShape(text('shape')) : null,
      labelsPerItem: Number(text('labelsPerItem')),
      leaseSeconds: Number(text('leaseSeconds')),
      ...(learns
        ? {
            strategy: text('strategy') as AcquisitionStrategy,
            shuffleProportion: Number(text('shufflePercent')) / 100,
            retrainEveryLabels: Number(text('retrainEveryLabels')),
            retrainAfterSeconds: Number(text('retrainAfterSeconds')),
          }
        : {
            strategy: initial.strategy,
            shuffleProportion: initial.shuffleProportion,
            retrainEveryLabels: initial.retrainEveryLabels,
            retrainAfterSeconds: initial.retrainAfterSeconds,
          }),
    };
    const local: string[] = [];
    if (request.classes.length < 2) local.push('Classes: a project needs at least 2 classes.');
    if (new Set(request.classes).size !== request.classes.length) local.push('Classes: class names must be unique.');
    if (inputKind === 'vector' && (!request.shape || request.shape.some((n) => !Number.isInteger(n) || n < 1))) {
      local.push('Display shape: vector projects need a display shape such as 8x8.');
    }
    if (learns && !(request.shuffleProportion! >= 0 && request.shuffleProportion! <= 1)) {
      local.push('Shuffle must be between 0 and 100 %.');
    }
    setSaved(false);
    if (local.length > 0) {
      setProblems(local);
      return;
    }
    setBusy(true);
    setProblems([]);
    try {
      if (project) {
        await browserApi.updateProject(project.id, request as Required<CreateProjectRequest>);
        setSaved(true);
        router.refresh();
      } else {
        const created = await browserApi.createProject(request);
        router.push(`/projects/${created.id}/settings?created=1`);
      }
    } catch (error) {
      if (isApiError(error, 401)) {
        router.push(signedOutPath(window.location.pathname));
        return;
      }
      setProblems(isApiError(error) ? readableProblems(error, FIELD_LABELS) : ['Could not save.']);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form project-form" onSubmit={onSubmit} noValidate>
      <label>
        Name
        <input name="name" defaultValue={initial.name} required maxLength={200} />
      </label>
      <label>
        Description <span className="muted">(optional)</span>
        <textarea name="description" defaultValue={initial.description} rows={2} maxLength={5000} />
      </label>
      <label>
        Classes <span className="muted">(one per line or comma-separated; the order sets the keys 1–9, 0, then letters, unless every class is a single key like 0–9)</span>
        <textarea name="classes" defaultValue={initial.classes.join('\n')} rows={4} required />
      </label>
      <fieldset>
        <legend>Items</legend>
        <label>
          Input kind
          <select name="inputKind" value={inputKind} onChange={(event) => setInputKind(event.target.value as InputKind)}>
            <option value="vector">Vector (drawn as a pixel grid)</option>
            <option value="image">Image (URL)</option>
            <option value="text">Text</option>
          </select>
        </label>
        {inputKind === 'vector' && (
          <label>
            Display shape <span className="muted">(rows x columns, e.g. 8x8)</span>
            <input name="shape" defaultValue={(initial.shape ?? [8, 8]).join('x')} />
          </label>
        )}
        <label className="checkbox">
          <input type="checkbox" name="multiLabel" defaultChecked={initial.multiLabel} />
          Several classes per item (multi-label)
        </label>
        <label>
          Labels per item
          <input name="labelsPerItem" type="number" min={1} max={20} defaultValue={initial.labelsPerItem} />
        </label>
        <label>
          Lease (seconds a labeller may hold an item)
          <input name="leaseSeconds" type="number" min={10} max={86400} defaultValue={initial.leaseSeconds} />
        </label>
      </fieldset>
      {!learns && (
        <p className="notice" data-testid="no-model-note">
          Models are trained for vectors and texts only: the trainer fetches no image URLs, so image items are
          served in import order and there is no active-learning strategy to choose.
        </p>
      )}
      {learns && (
        <fieldset>
          <legend>Active learning</legend>
          <label>
            Strategy
            <select name="strategy" defaultValue={initial.strategy}>
              {STRATEGIES.map((strategy) => (
                <option key={strategy.value} value={strategy.value}>
                  {strategy.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Shuffle (% of the queue served at random)
            <input
              name="shufflePercent"
              type="number"
              min={0}
              max={100}
              step={1}
              defaultValue={Math.round(initial.shuffleProportion * 100)}
            />
          </label>
          <label>
            Retrain every N labels
            <input name="retrainEveryLabels" type="number" min={1} defaultValue={initial.retrainEveryLabels} />
          </label>
          <label>
            …or after this many seconds with new labels
            <input name="retrainAfterSeconds" type="number" min={1} max={86400} defaultValue={initial.retrainAfterSeconds} />
          </label>
        </fieldset>
      )}
      {problems.length > 0 && (
        <div className="error" role="alert">
          <p>Please fix:</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {saved && (
        <p className="notice" role="status">
          Saved.
        </p>
      )}
      <button type="submit" className="button" aria-disabled={busy}>
        {project ? 'Save settings' : 'Create project'}
      </button>
    </form>
  );
}

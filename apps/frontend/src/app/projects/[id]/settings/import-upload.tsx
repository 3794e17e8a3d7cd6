'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import type { ImportReport, Project } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';
import { count } from '@/lib/plural';
import { signedOutPath } from '@/lib/return-path';

function contentTypeOf(file: File): string | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'application/x-ndjson';
  if (name.endsWith('.json')) return 'application/json';
  return null;
}

/** Uploads with XMLHttpRequest, the one browser API that reports upload progress. */
function upload(url: string, file: File, contentType: string, onProgress: (fraction: number) => void) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('content-type', contentType);
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = null;
      }
      resolve({ status: request.status, body });
    };
    request.onerror = () => reject(new Error('The upload failed: the server could not be reached.'));
    request.send(file);
  });
}

/** The one payload field the API takes for the project's input kind (docs/items.md), as CSV and as JSON. */
function itemExample(project: Project): { csvHeader: string; json: string; size?: string } {
  if (project.inputKind === 'image') return { csvHeader: 'id,url', json: '{"id": "a1", "url": "https://…/a1.png"}' };
  if (project.inputKind === 'text') return { csvHeader: 'id,text', json: '{"id": "a1", "text": "…"}' };
  const size = (project.shape ?? [1]).reduce((a, b) => a * b, 1);
  return { csvHeader: `id,v0,…,v${size - 1}`, json: '{"id": "a1", "vector": [0, 3, …]}', size: ` (${count(size, 'number')})` };
}

export function ImportUpload({ project }: { project: Project }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [fraction, setFraction] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (fraction !== null) return;
    const file = input.current?.files?.[0];
    setReport(null);
    setError(null);
    if (!file) {
      setError('Choose a file first.');
      return;
    }
    const contentType = contentTypeOf(file);
    if (!contentType) {
      setError('Use a .csv, .json or .ndjson file.');
      return;
    }
    setFraction(0);
    try {
      const { status, body } = await upload(browserApi.importUrl(project.id), file, contentType, setFraction);
      if (status === 401) {
        router.push(signedOutPath(window.location.pathname));
        return;
      }
      if (status >= 400) {
        const message = (body as { message?: string } | null)?.message;
        setError(message ?? `The import failed with status ${status}.`);
      } else {
        setReport(body as ImportReport);
        router.refresh();
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The upload failed.');
    } finally {
      setFraction(null);
    }
  }

  const example = itemExample(project);
  return (
    <form className="form" onSubmit={onSubmit}>
      <p className="small muted import-hint" data-testid="import-hint">
        CSV with header <code>{example.csvHeader}</code>, or a JSON array or NDJSON of items like{' '}
        <code>{example.json}</code>
        {example.size}; <code>id</code> is optional. Items already imported (same id) are counted as
        duplicates, not added twice.
      </p>
      <label>
        File
        <input ref={input} type="file" name="file" accept=".csv,.json,.ndjson,.jsonl" />
      </label>
      <button type="submit" className="button" aria-disabled={fraction !== null}>
        Upload
      </button>
      {fraction !== null && (
        <div className="progress">
          <progress value={fraction} max={1} aria-label="Upload progress" />
          <span className="progress-percent">{fraction < 1 ? `${Math.round(fraction * 100)}%` : 'importing…'}</span>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div className="report" role="status" data-testid="import-report">
          <p>
            <strong>{count(report.inserted, 'item')}</strong> imported of {report.received} received ·{' '}
            {count(report.duplicates, 'duplicate')} · {report.rejected} rejected
          </p>
          {report.rejections.length > 0 && (
            <ul className="small">
              {report.rejections.map((rejection) => (
                <li key={rejection.row}>
                  row {rejection.row}: {rejection.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

import type { LabelValue } from '@foreman/contracts';

export interface PendingLabel {
  itemId: number;
  value: LabelValue;
  clientRequestId: string;
  leaseId: number;
}

/**
 * A label given when the session had just expired, kept in this tab until the labeller signs in again
 * and then submitted with the same clientRequestId, so it is neither lost nor counted twice.
 */
export class PendingLabelStore {
  private readonly key: string;

  constructor(projectId: string) {
    this.key = `foreman:pending-label:${projectId}`;
  }

  save(label: PendingLabel): void {
    sessionStorage.setItem(this.key, JSON.stringify(label));
  }

  read(): PendingLabel | null {
    const raw = sessionStorage.getItem(this.key);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as PendingLabel;
    } catch {
      return null;
    }
  }

  clear(): void {
    sessionStorage.removeItem(this.key);
  }
}

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TRAINER_CONFIG, type TrainerConfig } from '../config/env';
import { initialiseBackend } from '../training/backend';
import { RetrainService } from './retrain.service';
import { TrainingStateRepository } from './training-state.repository';

/** Longest wait before a project whose work failed is tried again. */
const MAX_BACKOFF_MS = 60_000;

/**
 * Polls training_state for projects whose work is due and runs it, one project at a time, each under
 * its advisory lock. Because the work list is in PostgreSQL, a restarted trainer (or another instance)
 * picks up exactly what is still pending.
 */
@Injectable()
export class RetrainLoopService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retrain');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private backend: string | null = null;
  private readonly backoff = new Map<string, { until: number; delayMs: number }>();

  constructor(
    private readonly states: TrainingStateRepository,
    private readonly retrain: RetrainService,
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A hybrid app runs bootstrap hooks again when its microservice starts: start only once.
    if (this.timer || this.stopping) return;
    this.timer = setInterval(() => this.tick(), this.config.TRAINER_POLL_MS);
    this.backend = await initialiseBackend(this.config.TRAINER_BACKEND, (message) =>
      this.logger.log(message),
    );
    const interrupted = await this.states.interruptedTrainings().catch(() => []);
    for (const projectId of interrupted) {
      this.logger.warn(`project ${projectId}: the last training did not finish; its work is still pending`);
    }
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    // A training is not worth holding up a shutdown for: its work stays pending and is redone on start.
    await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  }

  private tick(): void {
    if (this.running || this.stopping || !this.backend) return;
    this.running = this.runDueWork()
      .catch((error: unknown) => this.logger.warn(`could not look for due work: ${(error as Error).message}`))
      .finally(() => (this.running = null));
  }

  private async runDueWork(): Promise<void> {
    const projectIds = await this.states.findProjectsWithWork();
    for (const projectId of projectIds) {
      if (this.stopping) return;
      const backoff = this.backoff.get(projectId);
      if (backoff && backoff.until > Date.now()) continue;
      try {
        await this.states.withProjectLock(projectId, () => this.retrain.runPending(projectId, this.backend!));
        this.backoff.delete(projectId);
      } catch (error) {
        const delayMs = Math.min((backoff?.delayMs ?? 500) * 2, MAX_BACKOFF_MS);
        this.backoff.set(projectId, { until: Date.now() + delayMs, delayMs });
        const message = (error as Error).message;
        this.logger.warn(`project ${projectId}: work failed, retrying in ${delayMs} ms: ${message}`);
        await this.states.recordError(projectId, message).catch(() => undefined);
      }
    }
  }
}

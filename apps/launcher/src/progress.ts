/** Start-up and shutdown progress on the terminal: what is starting, what is ready and how long it took. */
export async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const took = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  process.stdout.write(`  … ${label}\n`);
  try {
    const result = await work();
    process.stdout.write(`  ✓ ${label} (${took()})\n`);
    return result;
  } catch (error) {
    process.stdout.write(`  ✗ ${label} (${took()})\n`);
    throw error;
  }
}

/** A line between the steps, e.g. what a step found and did. */
export function notice(message: string): void {
  process.stdout.write(`    ${message}\n`);
}

/**
 * Polls a URL until it answers 2xx. `failed` rejects when the thing being waited for has died, so a
 * service that cannot start fails the start at once instead of after the timeout.
 */
export async function waitForHttp(
  url: string,
  options: { timeoutMs?: number; failed?: Promise<never> } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let failure: unknown = null;
  options.failed?.catch((error: unknown) => {
    failure = error;
  });
  for (;;) {
    if (failure) throw failure;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (failure) throw failure;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

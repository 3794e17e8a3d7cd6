/** Start-up progress on the terminal: what is starting, what is ready and how long it took. */
export async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  process.stdout.write(`  … ${label}\n`);
  const result = await work();
  process.stdout.write(`  ✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return result;
}

/** Polls a URL until it answers 2xx. */
export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

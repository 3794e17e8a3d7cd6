/** A random id for idempotent submits; crypto.randomUUID needs a secure context, a tablet on http may not have one. */
export function newClientRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

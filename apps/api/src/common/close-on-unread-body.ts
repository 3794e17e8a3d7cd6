import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long the rest of a body may take to arrive once its request has been answered. */
const UNREAD_BODY_GRACE_MS = 1_000;

/**
 * Closes the connection when the rest of a request's body does not arrive soon after the answer (a refused
 * or failed upload). Node otherwise reads the body to its end to keep the connection alive, for as long as
 * the client takes to send it: an anonymous client trickling bytes into the import route held its connection
 * for the upload timeout (an hour). Decided once the answer is sent rather than by a `Connection: close` in
 * it, because a guard's answer can go out before the body that came in the same packet has been parsed;
 * such a request completes at once and keeps its connection.
 */
export function closeConnectionOnUnreadBody(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  response.once('finish', () => {
    if (request.complete) return;
    const cut = setTimeout(() => request.socket.destroy(), UNREAD_BODY_GRACE_MS);
    // Node reads and discards the rest; once it has all arrived, the connection serves the next request.
    request.once('end', () => clearTimeout(cut));
    request.socket.once('close', () => clearTimeout(cut));
  });
  next();
}

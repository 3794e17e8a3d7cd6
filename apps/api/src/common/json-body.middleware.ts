import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { json } from 'body-parser';
import { isJsonRequest, isStreamedUpload } from '../modules/items/upload-body';

/**
 * Reads JSON bodies up to 1 MB; item imports stream their own (large) body. A Nest middleware, after the
 * request logger and the correlation context, rather than Express's own: so a body refused here (not JSON,
 * too large) is logged and answered with its correlation id like any other request.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse = json({
    limit: '1mb',
    type: (request: IncomingMessage) => isJsonRequest(request) && !isStreamedUpload(request),
    reviver: refuseUnstorableStrings,
  });

  use(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
    this.parse(request, response, next);
  }
}

/** PostgreSQL text cannot hold NUL, and an unpaired UTF-16 surrogate has no UTF-8 form (it would be mangled). */
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** JSON.parse reviver: such a string fails the parse, so the body parser answers 400 naming the field. */
function refuseUnstorableStrings(key: string, value: unknown): unknown {
  if (typeof value === 'string' && UNSTORABLE.test(value)) {
    throw new SyntaxError(
      `a string in the body (field "${key}") contains a NUL character or an unpaired surrogate, which cannot be stored`,
    );
  }
  return value;
}

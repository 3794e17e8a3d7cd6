import { ForbiddenException, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses a request that would change something when the browser says it comes from another site (Fetch
 * Metadata: `Sec-Fetch-Site: same-site` or `cross-site`), unless it carries an API token. The session cookie
 * is SameSite=Lax, which keeps it off cross-site POSTs but not off those from the same site: a page on
 * another port of the same host, or on a sibling subdomain, could post a plain form that undoes a labeller's
 * label or signs them out. Scripts send no such header; browsers without Fetch Metadata keep SameSite's
 * protection.
 */
@Injectable()
export class CrossSiteRequestMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const site = request.headers['sec-fetch-site'];
    const fromElsewhere = site === 'same-site' || site === 'cross-site';
    if (fromElsewhere && CHANGING_METHODS.has(request.method) && !request.headers.authorization) {
      throw new ForbiddenException(
        `a request from another site (Sec-Fetch-Site: ${site}) cannot change anything here; use this site's own pages, or an API token`,
      );
    }
    next();
  }
}

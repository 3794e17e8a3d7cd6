import type { NextRequest } from 'next/server';
import { CORRELATION_ID_HEADER } from '@foreman/contracts';
import { env } from '@/env';

/**
 * Forwards /api/* to the API at run time (rewrites in next.config would bake API_URL in at build time).
 * Bodies are streamed both ways, so uploads and exports never sit in memory here.
 */
export const dynamic = 'force-dynamic';

// (sec-fetch-site: the API refuses changes another site's page asks for, which SameSite=Lax lets through)
const REQUEST_HEADERS = [
  'accept',
  'authorization',
  'content-type',
  'cookie',
  'sec-fetch-site',
  'user-agent',
  CORRELATION_ID_HEADER,
];
// fetch has already decoded the body and framed it again; these would describe the wrong bytes.
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'keep-alive',
  'set-cookie',
  'transfer-encoding',
]);

// The API's Prometheus metrics are for the operators' scraper on the internal network, not the public site.
const INTERNAL_PATHS = new Set(['metrics']);

type RouteContext = { params: Promise<{ path: string[] }> };

async function forward(request: NextRequest, context: RouteContext): Promise<Response> {
  const { path } = await context.params;
  if (path.length === 1 && INTERNAL_PATHS.has(path[0]!.toLowerCase())) {
    return Response.json({ statusCode: 404, error: 'Not Found', message: `no route /api/${path[0]}` }, { status: 404 });
  }
  const target = new URL(`${path.map(encodeURIComponent).join('/')}${request.nextUrl.search}`, `${env().API_URL}/`);

  const headers = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const forwardedFor = request.headers.get('x-forwarded-for');
  if (forwardedFor) headers.set('x-forwarded-for', forwardedFor);

  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      redirect: 'manual',
      cache: 'no-store',
      // Node's fetch needs this to stream a request body.
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch {
    return Response.json(
      { statusCode: 502, error: 'Bad Gateway', message: 'The API cannot be reached. Try again in a moment.' },
      { status: 502 },
    );
  }

  const responseHeaders = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders.set(name, value);
  });
  for (const cookie of upstream.headers.getSetCookie()) responseHeaders.append('set-cookie', cookie);
  const bodyless = upstream.status === 204 || upstream.status === 304 || request.method === 'HEAD';
  return new Response(bodyless ? null : upstream.body, { status: upstream.status, headers: responseHeaders });
}

export {
  forward as GET,
  forward as POST,
  forward as PUT,
  forward as PATCH,
  forward as DELETE,
  forward as HEAD,
};

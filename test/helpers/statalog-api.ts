/**
 * A loopback stand-in for the Statalog API (HTTP on 127.0.0.1), answering `/api/v1/stats` the way the
 * Community source does: 401 `{"error":"Missing API key…"}` without a key, 401 `{"error":"Invalid or
 * expired API key."}` for an unknown one, 422 `{"error":"site_id is required."}` for a live key without
 * `site_id`. Keys can also be told to misbehave (hang, fail, reset the connection, answer garbage,
 * redirect elsewhere). Every request is recorded so tests can check what was sent and how often.
 *
 * Keys are registered at runtime by the tests; nothing here holds or prints one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type KeyBehaviour =
  | 'live' // 422 site_id is required (404 with a site_id: this stand-in never returns analytics)
  | 'revoked' // 401, like any key it does not know
  | 'slow' // never answers (until the server closes)
  | 'error500' // 500 with Laravel's JSON error
  | 'reset' // destroys the connection on every request
  | 'reset-once' // destroys the connection on the first request, then answers as a live key
  | 'malformed' // 422 with an HTML body
  | 'html401' // 401 with an HTML body (a proxy's login wall, not Statalog)
  | 'ok200' // 200 with a JSON body no Statalog endpoint gives without site_id
  | 'redirect'; // 302 to another loopback server (which records whatever reaches it)

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  authorization: string | undefined;
}

export interface StatalogApi {
  /** Base URL (`http://127.0.0.1:PORT`), to give as `--api-url` or `STATALOG_CLOUD_API_URL`. */
  url: string;
  behave(key: string, behaviour: KeyBehaviour): void;
  /** Every request, in arrival order. */
  requests: RecordedRequest[];
  /** Requests that carried `key` as their Bearer token. */
  requestsFor(key: string): number;
  /** True when any request line (path or query) contained `secret`: must never happen. */
  anyUrlContains(secret: string): boolean;
  /** Most requests the server held at once. */
  maxInFlight: number;
  /** Requests that reached the redirect target: must stay empty. */
  redirectTargetRequests: RecordedRequest[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: object): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function record(req: IncomingMessage): RecordedRequest {
  return { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization };
}

function bearerToken(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startStatalogApi(): Promise<StatalogApi> {
  const behaviours = new Map<string, KeyBehaviour>();
  const perKey = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const redirectTargetRequests: RecordedRequest[] = [];
  let inFlight = 0;

  const elsewhere = createServer((req, res) => {
    redirectTargetRequests.push(record(req));
    json(res, 422, { error: 'site_id is required.' });
  });
  const elsewhereUrl = await listen(elsewhere);

  const api: StatalogApi = {
    url: '',
    behave: (key, behaviour) => void behaviours.set(key, behaviour),
    requests,
    requestsFor: (key) => perKey.get(key) ?? 0,
    anyUrlContains: (secret) =>
      requests.some((r) => r.url.includes(secret) || decodeURIComponent(r.url).includes(secret)),
    maxInFlight: 0,
    redirectTargetRequests,
    close: async () => {
      server.closeAllConnections();
      elsewhere.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => elsewhere.close(r))]);
    },
  };

  const server = createServer((req, res) => {
    requests.push(record(req));
    inFlight++;
    api.maxInFlight = Math.max(api.maxInFlight, inFlight);
    res.on('close', () => inFlight--);

    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method !== 'GET' || url.pathname !== '/api/v1/stats') return json(res, 404, { message: 'Not Found' });
    // The server reads the Bearer header first, then ?api_key= (the tests check the latter is never used).
    const key = bearerToken(req) || (url.searchParams.get('api_key') ?? '').trim();
    if (key === '') return json(res, 401, { error: 'Missing API key. Pass via Authorization: Bearer or ?api_key=.' });
    const seen = (perKey.get(key) ?? 0) + 1;
    perKey.set(key, seen);

    const live = (): void =>
      url.searchParams.has('site_id')
        ? json(res, 404, { error: 'Site not found.' })
        : json(res, 422, { error: 'site_id is required.' });
    switch (behaviours.get(key) ?? 'revoked') {
      case 'live':
        return live();
      case 'revoked':
        return json(res, 401, { error: 'Invalid or expired API key.' });
      case 'slow':
        return; // held open until close()
      case 'error500':
        return json(res, 500, { message: 'Server Error' });
      case 'reset':
        return void req.socket.destroy();
      case 'reset-once':
        return seen === 1 ? void req.socket.destroy() : live();
      case 'malformed':
        res.writeHead(422, { 'content-type': 'text/html' });
        return void res.end('<!doctype html><title>Unprocessable</title>');
      case 'html401':
        res.writeHead(401, { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="stats"' });
        return void res.end('<html>Authorization Required</html>');
      case 'ok200':
        return json(res, 200, { visitors: 1 });
      case 'redirect':
        res.writeHead(302, { location: `${elsewhereUrl}/api/v1/stats` });
        return void res.end();
    }
  });
  api.url = await listen(server);
  return api;
}

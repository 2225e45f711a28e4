/**
 * A loopback web server for the `--url` tests: serves fixed routes (body, content type, extra headers, or a
 * redirect) and records every request — its path and its headers, so a test can prove that no request
 * reached a server it must not, and that none carried a cookie or credentials.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  body?: string | Uint8Array;
  type?: string;
  status?: number;
  headers?: Record<string, string>;
}

export interface ServedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface Site {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

export async function serveSite(routes: Record<string, Route>): Promise<Site> {
  const requests: ServedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    const route = routes[(req.url ?? '').split('?')[0]!];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'text/plain', ...route.headers });
    res.end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

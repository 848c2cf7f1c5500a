/**
 * What every HTTP server of ours (the API, the gateway) does the same way: counting in-flight requests so
 * that shutdown drains them, `/metrics` behind a token, the request id, listening, and draining.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Authenticator } from '../auth/index.js';
import { IdGraphError } from '../model/errors.js';

/** Requests still being answered: shutdown waits for them. */
export interface InFlight {
  count: number;
}

/** How long shutdown waits for in-flight requests before it closes the server anyway. */
export const DRAIN_MS = 8_000;

/**
 * Counts a request until its response is flushed or the client goes: closing the server earlier would end
 * connections whose last bytes are still being written.
 */
export function countInFlight(app: Express): InFlight {
  const inFlight: InFlight = { count: 0 };
  app.use((_req, res, next) => {
    inFlight.count++;
    res.once('close', () => inFlight.count--);
    next();
  });
  return inFlight;
}

/** Waits until nothing is in flight, or `DRAIN_MS` has passed. */
export async function drain(inFlight: InFlight): Promise<void> {
  const until = Date.now() + DRAIN_MS;
  while (inFlight.count > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** `/metrics` for callers with a valid token: 401 without one, 503 when the identity provider is down. */
export function serveMetrics(app: Express, authenticator: Authenticator, registry: Registry): void {
  app.get('/metrics', async (req, res) => {
    try {
      await authenticator.authenticate(req.headers.authorization);
    } catch (error) {
      const code = error instanceof IdGraphError ? error.code : 'UNAUTHENTICATED';
      res.status(code === 'UNAVAILABLE' ? 503 : 401).json({ errors: [{ message: (error as Error).message, extensions: { code } }] });
      return;
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
}

/** The caller's `x-request-id` when it is a plain token of at most 64 characters, else a new UUID. */
export function requestIdOf(req: Request): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
}

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A body that is not JSON gets the same 400 shape as every other rejected request, not an HTML page. */
export function malformedBody(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const status = (error as { status?: number }).status ?? 500;
  const message = status === 413 ? 'The request body is too large' : status < 500 ? 'The request body is not valid JSON' : 'Internal server error';
  const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
  res.status(status < 500 ? status : 500).json({ errors: [{ message, extensions: { code } }] });
}

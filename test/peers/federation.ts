/**
 * Stand-in for the AWS sign-in federation endpoint (https://signin.aws.amazon.com/federation),
 * written from "Enable custom identity broker access to the AWS console": getSigninToken takes
 * the Session JSON {sessionId, sessionKey, sessionToken} (and an optional SessionDuration of
 * 900–43200 s) and answers {"SigninToken": …}; login redeems the token with a redirect to the
 * Destination. Only credentials the STS stand-in issued, unexpired, get a token.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './saml-fixtures.js';
import type { IssuedCredentials } from './sts/index.js';

export interface FederationRequest {
  action: string | null;
  /** The Session's sessionId (an access key id, not a secret); undefined when absent or unreadable. */
  sessionId: string | undefined;
  /** The Session JSON's keys, in the order sent. */
  sessionKeys: string[];
  sessionDuration: string | null;
  /** Whether the session matched credentials the STS stand-in issued. */
  accepted: boolean;
  status: number;
  problem?: string;
  /** login only. */
  destination?: string | null;
  issuer?: string | null;
}

export interface FederationStandIn {
  /** http://127.0.0.1:PORT/federation */
  url: string;
  requests: FederationRequest[];
  /** Sign-in token → the access key id it was issued for. */
  tokens: Map<string, string>;
  stop(): Promise<void>;
}

export interface FederationOptions {
  /** The STS stand-in's issued map: the credentials that exist. */
  issued: ReadonlyMap<string, IssuedCredentials>;
  now?: () => Date;
}

const SESSION_KEYS = ['sessionId', 'sessionKey', 'sessionToken'];

export async function startFederationStandIn(options: FederationOptions): Promise<FederationStandIn> {
  const requests: FederationRequest[] = [];
  const tokens = new Map<string, string>();
  const now = options.now ?? (() => new Date());

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://federation.invalid');
    const record: FederationRequest = { action: url.searchParams.get('Action'), sessionId: undefined, sessionKeys: [], sessionDuration: url.searchParams.get('SessionDuration'), accepted: false, status: 200 };
    requests.push(record);
    const refuse = (status: number, problem: string): void => {
      record.status = status;
      record.problem = problem;
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`${problem}\n`);
    };
    if (url.pathname !== '/federation') return refuse(404, 'Not Found');
    if (req.method !== 'GET') return refuse(405, 'Method Not Allowed');

    if (record.action === 'getSigninToken') {
      let session: Record<string, unknown>;
      try {
        session = JSON.parse(url.searchParams.get('Session') ?? '') as Record<string, unknown>;
      } catch {
        return refuse(400, 'Session is not JSON');
      }
      record.sessionKeys = Object.keys(session);
      record.sessionId = typeof session.sessionId === 'string' ? session.sessionId : undefined;
      if (record.sessionKeys.join(',') !== SESSION_KEYS.join(',')) return refuse(400, `Session must have exactly ${SESSION_KEYS.join(', ')}`);
      if (record.sessionDuration !== null) {
        const seconds = Number(record.sessionDuration);
        if (!/^\d+$/.test(record.sessionDuration) || seconds < 900 || seconds > 43200) return refuse(400, 'SessionDuration must be 900 to 43200');
      }
      const issued = record.sessionId === undefined ? undefined : options.issued.get(record.sessionId);
      if (!issued || session.sessionKey !== issued.secretAccessKey || session.sessionToken !== issued.sessionToken) return refuse(400, 'The credentials are not valid');
      if (now() >= issued.expiration) return refuse(400, 'The credentials have expired');
      record.accepted = true;
      const token = randomBytes(48).toString('base64url');
      tokens.set(token, issued.accessKeyId);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ SigninToken: token }));
      return;
    }
    if (record.action === 'login') {
      record.destination = url.searchParams.get('Destination');
      record.issuer = url.searchParams.get('Issuer');
      const token = url.searchParams.get('SigninToken') ?? '';
      if (!tokens.has(token)) return refuse(400, 'SigninToken is not valid');
      if (!record.destination || !/^https:\/\//.test(record.destination)) return refuse(400, 'Destination must be an https URL');
      record.accepted = true;
      record.status = 302;
      res.writeHead(302, { Location: record.destination }).end();
      return;
    }
    refuse(400, `Unknown Action ${record.action ?? '(none)'}`);
  };

  const server = await startLoopbackServer(handler);
  return { url: `${server.url}/federation`, requests, tokens, stop: server.stop };
}

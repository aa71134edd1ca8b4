/**
 * Stand-in for a Shibboleth IdP 4 ECP endpoint (SAML2/SOAP/ECP) with the Duo plugin, written from
 * the ECP profile, Shibboleth's documented behaviour and a real Shibboleth reply (awscli-login's
 * test data). No Shibboleth can run on the test machine, hence this.
 *
 * Wire choices, in request order:
 * - not POST → 405 HTML; Content-Type not text/xml, or a body that is not a SOAP 1.1 envelope
 *   holding a SAML AuthnRequest (ID, Version 2.0, IssueInstant with a time zone, fresh, not a
 *   replay) → SOAP Fault `soap11:Client`, HTTP 500 (SOAP 1.1 binding).
 * - Issuer other than urn:amazon:webservices → 200 HTML "Unsupported Request".
 * - no ProtocolBinding → 302 to the HTML login form (`…/SAML2/Redirect/SSO?execution=e1s1`).
 * - ProtocolBinding not PAOS, or ACS not an AWS sign-in SAML endpoint (any form) → 200 HTML "Unable to Respond".
 * - no valid `shib_idp_session` (or ForceAuthn="true") and no or wrong Basic credentials: how the
 *   password is checked decides (`passwordCheck`). A valid session wins over Basic credentials, as
 *   in Shibboleth: another user's name and password get the session's user.
 *   - 'idp' (default), Shibboleth's own Password login flow, which "automatically supports ECP via
 *     HTTP Basic authentication headers [...] without being challenged"
 *     (https://shibboleth.atlassian.net/wiki/spaces/IDP30/pages/2497773698/ECPConfiguration): no
 *     401. On a non-browser request the flow turns NoCredentials and InvalidCredentials into
 *     ReselectFlow (system/flows/authn/password-authn-flow.xml), and the SAML profile answers the
 *     event with an error Response: the answer below, the same as a Duo refusal. Duo never runs.
 *   - 'web-server': the web server or container does Basic authentication in front of the ECP
 *     path (the same page's RemoteUser setup) → 401, `WWW-Authenticate: Basic realm="Shibboleth"`,
 *     Apache's HTML page (awscli-login's src/tests/data/error.html; OpenClemson/SwiftECP#5).
 * - Duo refused (push denied or unanswered, wrong passcode, sms, bad factor or device): the Duo
 *   AuthAPI validator signals InvalidCredentials for a "deny" result and for an unknown device
 *   (java-identity-provider idp-authn-impl/.../duo/impl/ValidateDuoAuthAPI.java), the same event
 *   as a wrong password.
 * - How such an authentication error reaches the client (`authnFailure`), for either cause:
 *   - 'saml-status' (default): 200 text/xml, an unsigned Response with status Requester/AuthnFailed
 *     and message "An error occurred." (conf/errors.xml maps InvalidCredentials, NoCredentials and
 *     NoPotentialFlow to shibboleth.SAML2Status.AuthnFailed, which system/conf/utilities.xml makes
 *     Requester + AuthnFailed; AddStatusToResponse in system/flows/saml/saml2/common-beans.xml has
 *     the message unless idp.errors.detailed). awscli-login's error.xml is such a reply, and why it
 *     reports "Authentication failed!" after an sms attempt (#67).
 *   - 'soap-fault': the deployer listed the event in shibboleth.LocalEvents, and "for ECP, local
 *     errors mean SOAP faults" (system/flows/saml/saml2/sso-abstract-flow.xml): faultcode
 *     soap11:Client (shibboleth.SOAPFaultCodeMappings), faultstring "An error occurred."
 *     (AddSOAPFault in sso-abstract-beans.xml), HTTP 500 (SOAP 1.1 binding).
 * - success → 200 text/xml, `ecp:Response` header, unsigned `saml2p:Response` with a signed
 *   `saml2:Assertion`; a fresh login sets `shib_idp_session`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AWS_AUDIENCE, AWS_SIGNIN_URL, BodyTooLargeError, NS, PAOS_BINDING, STATUS, buildSamlResponse, childElement,
  escapeXml, parseXmlStrict, readBody, startLoopbackServer, throwawayKeyPair, type AwsPartition,
} from '../saml-fixtures.js';
import { DuoControl } from './duo.js';

export { DuoControl, DUO_FACTORS, type DuoAttempt, type DuoFactor, type PushOutcome } from './duo.js';

export const ECP_PATH = '/idp/profile/SAML2/SOAP/ECP';
export const LOGIN_FORM_PATH = '/idp/profile/SAML2/Redirect/SSO';
export const SESSION_COOKIE = 'shib_idp_session';
const ACCOUNTS = { first: '444444444444', second: '555555555555' } as const;
/**
 * The ACS URLs of AWS's SAML metadata as an IdP loads them: the global, regional and /static
 * forms and the regional /saml/acs/<IdP-ID> of each partition (IAM guide, "Configure your SAML
 * 2.0 IdP with relying party trust"); the Recipient checks are STS's business.
 */
const AWS_ACS_URL = /^https:\/\/([a-z0-9-]+\.)?signin\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)\/(saml|static\/saml|saml\/acs\/[A-Za-z0-9_-]+)$/;
/** Shibboleth's defaults: 3 min message lifetime plus 3 min clock skew. */
const MESSAGE_WINDOW_MS = 3 * 60 * 1000;

export interface IdpUser {
  password: string;
  /** Enrolled in Duo: a fresh login needs the second factor. */
  duo: boolean;
  /** Values of the AWS Role attribute, as released. */
  roles: string[];
  roleSessionName: string;
  sessionDuration?: number;
  /** Duo passcodes (hardware token, bypass codes), one use each. */
  passcodes: string[];
  /** Duo device ids (Auth API: phone1, phone2, …) that push, phone and sms may name; none when absent. */
  devices?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Request headers; Authorization reduced to `Basic <user>:***`. */
  headers: Record<string, string | string[] | undefined>;
  /** The user the request authenticated (or tried to) as. */
  user?: string;
  usedSession: boolean;
  outcome: 'success' | 'unauthorized' | 'duo-failed' | 'duo-aborted' | 'redirect' | 'unsupported-request' | 'unable-to-respond' | 'soap-fault' | 'canned' | 'not-found' | 'login-form' | 'method-not-allowed';
  status: number;
  at: Date;
}

export interface RawReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What `respondWith` can make the next request get instead of the real answer. */
export type CannedReply = 'html-login-page' | 'redirect' | 'garbage' | 'huge' | RawReply;

export interface ShibbolethDuoOptions {
  https?: { key: string; cert: string };
  /** Header names the Duo plugin reads (idp.duo.nonbrowser.header.*). */
  factorHeader?: string;
  passcodeHeader?: string;
  deviceHeader?: string;
  /** Who checks the Basic password; see the module comment. */
  passwordCheck?: 'idp' | 'web-server';
  /** How an authentication error (wrong password at the IdP, Duo refusal) reaches the client; see the module comment. */
  authnFailure?: 'saml-status' | 'soap-fault';
  /** Server-side IdP session lifetime; default 3600 s (idp.session.timeout PT60M). */
  sessionTtlSeconds?: number;
}

export interface ShibbolethDuoIdp {
  /** The ECP endpoint. */
  url: string;
  baseUrl: string;
  entityId: string;
  certificatePem: string;
  /** `arn:<partition>:iam::<account>:saml-provider/shibboleth`. */
  providerArn(account: string, partition?: AwsPartition): string;
  /** Mutable user table. */
  users: Map<string, IdpUser>;
  duo: DuoControl;
  requests: RecordedRequest[];
  /** The next request gets `reply` instead of the real answer. */
  respondWith(reply: CannedReply): void;
  /** Ends every IdP session, as a timeout or an IdP restart would. */
  expireSessions(): void;
  stop(): Promise<void>;
}

const page = (title: string, body: string): string =>
  `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>\n`;

const UNAUTHORIZED_PAGE = page('401 Unauthorized', '<p>This server could not verify that you are authorized to access the document requested. Either you supplied the wrong credentials (e.g., bad password), or your browser doesn\'t understand how to supply the credentials required.</p>');
const LOGIN_PAGE = page('Web Login Service', `<form action="${LOGIN_FORM_PATH}?execution=e1s1" method="post"><label for="username">Username</label><input id="username" name="j_username" type="text"><label for="password">Password</label><input id="password" name="j_password" type="password"><button type="submit" name="_eventId_proceed">Login</button></form>`);
const UNSUPPORTED_REQUEST_PAGE = page('Web Login Service - Unsupported Request', '<p>The application you have accessed is not registered for use with this service.</p>');
const UNABLE_TO_RESPOND_PAGE = page('Web Login Service - Unable to Respond', '<p>The login service was unable to identify a compatible way to respond to the requested application. This is generally due to a misconfiguration on the part of the application and should be reported to the application\'s support team or owner.</p>');

/** Shibboleth's answer to any authentication error when errors are not detailed (idp.errors.detailed = false). */
const AUTHN_ERROR_MESSAGE = 'An error occurred.';

function soapFault(message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soap11:Envelope xmlns:soap11="${NS.soap11}"><soap11:Body><soap11:Fault><faultcode>soap11:Client</faultcode><faultstring>${escapeXml(message)}</faultstring></soap11:Fault></soap11:Body></soap11:Envelope>\n`;
}

function ecpEnvelope(acs: string, responseXml: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soap11:Envelope xmlns:soap11="${NS.soap11}"><soap11:Header><ecp:Response AssertionConsumerServiceURL="${escapeXml(acs)}" soap11:actor="http://schemas.xmlsoap.org/soap/actor/next" soap11:mustUnderstand="1" xmlns:ecp="${NS.ecp}"/></soap11:Header><soap11:Body>${responseXml}</soap11:Body></soap11:Envelope>\n`;
}

class SoapFault extends Error {}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

interface AuthnRequest {
  id: string;
  issuer: string;
  binding: string | null;
  acs: string;
  forceAuthn: boolean;
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export async function startShibbolethDuoIdp(options: ShibbolethDuoOptions = {}): Promise<ShibbolethDuoIdp> {
  const keyPair = throwawayKeyPair('shibboleth');
  const factorHeader = (options.factorHeader ?? 'X-Shibboleth-Duo-Factor').toLowerCase();
  const passcodeHeader = (options.passcodeHeader ?? 'X-Shibboleth-Duo-Passcode').toLowerCase();
  const deviceHeader = (options.deviceHeader ?? 'X-Shibboleth-Duo-Device').toLowerCase();
  const sessionTtlMs = (options.sessionTtlSeconds ?? 3600) * 1000;
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, { user: string; expires: number }>();
  const seenRequestIds = new Set<string>();
  const duo = new DuoControl();
  let canned: CannedReply | undefined;
  let baseUrl = '';
  const entityId = (): string => `${baseUrl}/idp/shibboleth`;
  const providerArn = (account: string, partition: AwsPartition = 'aws'): string => `arn:${partition}:iam::${account}:saml-provider/shibboleth`;
  const users = new Map<string, IdpUser>([
    ['duo-user', {
      password: 'duo-password',
      duo: true,
      roles: [
        `${providerArn(ACCOUNTS.first)},arn:aws:iam::${ACCOUNTS.first}:role/Admin`,
        `arn:aws:iam::${ACCOUNTS.second}:role/engineering/ReadOnly,${providerArn(ACCOUNTS.second)}`,
      ],
      roleSessionName: 'duo-user@example.org',
      sessionDuration: 28800,
      passcodes: ['123456', '234567'],
      devices: ['phone1', 'phone2'],
    }],
    ['plain-user', {
      password: 'plain-password',
      duo: false,
      roles: [`${providerArn(ACCOUNTS.first)},arn:aws:iam::${ACCOUNTS.first}:role/Developer`],
      roleSessionName: 'plain-user@example.org',
      passcodes: [],
      devices: [],
    }],
  ]);

  function parseAuthnRequest(req: IncomingMessage, body: Buffer): AuthnRequest {
    if (!/^text\/xml\b/i.test(req.headers['content-type'] ?? '')) throw new SoapFault(`Unsupported Content-Type ${req.headers['content-type'] ?? '(none)'}; the SOAP 1.1 binding needs text/xml`);
    let envelope: Element;
    try {
      envelope = parseXmlStrict(body.toString('utf8')).documentElement;
    } catch (err) {
      throw new SoapFault(`Unable to decode the SOAP message: ${(err as Error).message}`);
    }
    const soapBody = envelope.namespaceURI === NS.soap11 && envelope.localName === 'Envelope' ? childElement(envelope, NS.soap11, 'Body') : undefined;
    if (!soapBody) throw new SoapFault('Message is not a SOAP 1.1 envelope');
    const authn = childElement(soapBody, NS.protocol, 'AuthnRequest');
    if (!authn) throw new SoapFault('SOAP Body does not contain a SAML 2.0 AuthnRequest');
    const id = authn.getAttribute('ID') ?? '';
    if (!/^[A-Za-z_][\w.-]*$/.test(id)) throw new SoapFault('AuthnRequest has no valid ID');
    if (authn.getAttribute('Version') !== '2.0') throw new SoapFault('AuthnRequest Version is not 2.0');
    const issueInstant = authn.getAttribute('IssueInstant') ?? '';
    const issued = Date.parse(issueInstant);
    if (!/(Z|[+-]\d\d:\d\d)$/.test(issueInstant) || Number.isNaN(issued)) throw new SoapFault(`AuthnRequest IssueInstant is not an xs:dateTime with a time zone: ${issueInstant}`);
    if (issued < Date.now() - 2 * MESSAGE_WINDOW_MS || issued > Date.now() + MESSAGE_WINDOW_MS) throw new SoapFault('Message expired: the AuthnRequest IssueInstant is outside the accepted window');
    if (seenRequestIds.has(id)) throw new SoapFault(`Message replay detected: AuthnRequest ID ${id} was already used`);
    seenRequestIds.add(id);
    return {
      id,
      issuer: (childElement(authn, NS.assertion, 'Issuer')?.textContent ?? '').trim(),
      binding: authn.getAttribute('ProtocolBinding'),
      acs: authn.getAttribute('AssertionConsumerServiceURL') || AWS_SIGNIN_URL.aws,
      forceAuthn: ['true', '1'].includes(authn.getAttribute('ForceAuthn') ?? ''),
    };
  }

  async function sendCanned(reply: CannedReply, res: ServerResponse): Promise<number> {
    if (reply === 'html-login-page') {
      res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8' }).end(LOGIN_PAGE);
      return 200;
    }
    if (reply === 'redirect') {
      res.writeHead(302, { Location: `${baseUrl}${LOGIN_FORM_PATH}?execution=e1s1` }).end();
      return 302;
    }
    if (reply === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(Buffer.from('\u0000\u00ffthis is <not xml', 'latin1'));
      return 200;
    }
    if (reply === 'huge') {
      // 64 MiB that starts like an envelope and never ends; stops when the client hangs up.
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.write(`<?xml version="1.0" encoding="UTF-8"?>\n<soap11:Envelope xmlns:soap11="${NS.soap11}"><soap11:Body>`);
      const chunk = Buffer.alloc(64 * 1024, '<x/>');
      for (let sent = 0; sent < 64 * 1024 * 1024 && !res.destroyed; sent += chunk.length) {
        if (!res.write(chunk)) await drainedOrClosed(res);
      }
      res.end();
      return 200;
    }
    res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
    return reply.status;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://idp.invalid');
    const headers: RecordedRequest['headers'] = { ...req.headers };
    const credentials = basicCredentials(req.headers.authorization);
    if (req.headers.authorization) headers.authorization = credentials ? `Basic ${credentials.user}:***` : '(unparsable)';
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname + url.search, headers, usedSession: false, outcome: 'success', status: 200, at: new Date() };
    requests.push(record);
    const send = (outcome: RecordedRequest['outcome'], status: number, contentType: string, body: string, extra: Record<string, string> = {}): void => {
      Object.assign(record, { outcome, status });
      res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', ...extra }).end(body);
    };
    const html = (outcome: RecordedRequest['outcome'], status: number, body: string, extra: Record<string, string> = {}): void =>
      send(outcome, status, 'text/html;charset=utf-8', body, extra);
    /** An authentication error, whichever factor failed: Shibboleth's answer does not say which. */
    const refuse = (outcome: 'unauthorized' | 'duo-failed', authn: AuthnRequest): void => {
      if (options.authnFailure === 'soap-fault') return send(outcome, 500, 'text/xml', soapFault(AUTHN_ERROR_MESSAGE));
      const failed = buildSamlResponse({
        issuer: entityId(), destination: authn.acs, inResponseTo: authn.id, sign: 'none',
        status: { code: STATUS.requester, subCode: STATUS.authnFailed, message: AUTHN_ERROR_MESSAGE },
      });
      send(outcome, 200, 'text/xml', ecpEnvelope(authn.acs, failed.xml));
    };

    if (canned !== undefined) {
      const reply = canned;
      canned = undefined;
      record.outcome = 'canned';
      record.status = await sendCanned(reply, res);
      return;
    }
    if (url.pathname === LOGIN_FORM_PATH) return html('login-form', 200, LOGIN_PAGE);
    if (url.pathname !== ECP_PATH) return html('not-found', 404, page('404 Not Found', '<p>The requested URL was not found on this server.</p>'));
    if (req.method !== 'POST') return html('method-not-allowed', 405, page('405 Method Not Allowed', '<p>The ECP endpoint accepts only POST.</p>'), { Allow: 'POST' });

    let authn: AuthnRequest;
    try {
      authn = parseAuthnRequest(req, await readBody(req));
    } catch (err) {
      if (!(err instanceof SoapFault || err instanceof BodyTooLargeError)) throw err;
      return send('soap-fault', 500, 'text/xml', soapFault(err.message));
    }
    if (authn.issuer !== AWS_AUDIENCE) return html('unsupported-request', 200, UNSUPPORTED_REQUEST_PAGE);
    if (!authn.binding) return html('redirect', 302, '', { Location: `${baseUrl}${LOGIN_FORM_PATH}?execution=e1s1` });
    if (authn.binding !== PAOS_BINDING || !AWS_ACS_URL.test(authn.acs)) return html('unable-to-respond', 200, UNABLE_TO_RESPOND_PAGE);

    const sessionId = cookie(req.headers.cookie, SESSION_COOKIE);
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    let userName: string;
    const setCookie: Record<string, string> = {};
    if (session && session.expires > Date.now() && !authn.forceAuthn) {
      userName = session.user;
      record.usedSession = true;
    } else {
      record.user = credentials?.user;
      const user = credentials && users.get(credentials.user);
      if (!credentials || !user || user.password !== credentials.password) {
        if (options.passwordCheck === 'web-server') return html('unauthorized', 401, UNAUTHORIZED_PAGE, { 'WWW-Authenticate': 'Basic realm="Shibboleth"' });
        return refuse('unauthorized', authn);
      }
      if (user.duo) {
        const abort = new AbortController();
        res.once('close', () => { if (!res.writableEnded) abort.abort(); });
        const passcode = req.headers[passcodeHeader];
        let result;
        try {
          result = await duo.authenticate(credentials.user, user, String(req.headers[factorHeader] ?? 'auto'), typeof passcode === 'string' ? passcode : undefined,
            String(req.headers[deviceHeader] ?? 'auto'), abort.signal);
        } catch (err) {
          if (!abort.signal.aborted) throw err;
          record.outcome = 'duo-aborted';
          return;
        }
        if (!result.ok) return refuse('duo-failed', authn);
      }
      userName = credentials.user;
      const newSession = randomBytes(32).toString('hex');
      sessions.set(newSession, { user: userName, expires: Date.now() + sessionTtlMs });
      setCookie['Set-Cookie'] = `${SESSION_COOKIE}=${newSession}; Path=/idp; HttpOnly; SameSite=None${options.https ? '; Secure' : ''}`;
    }
    record.user = userName;
    const user = users.get(userName);
    if (!user) throw new Error(`session names a user that no longer exists: ${userName}`);
    const response = buildSamlResponse({
      issuer: entityId(),
      destination: authn.acs,
      inResponseTo: authn.id,
      roles: user.roles,
      roleSessionName: user.roleSessionName,
      sessionDuration: user.sessionDuration,
      subjectAddress: req.socket.remoteAddress ?? '127.0.0.1',
      keyPair,
      sign: 'assertion',
    });
    send('success', 200, 'text/xml', ecpEnvelope(authn.acs, response.xml), setCookie);
  }

  const server = await startLoopbackServer(handle, options.https);
  baseUrl = server.url;
  return {
    url: `${baseUrl}${ECP_PATH}`,
    baseUrl,
    entityId: entityId(),
    certificatePem: keyPair.cert,
    providerArn,
    users,
    duo,
    requests,
    respondWith: (reply) => { canned = reply; },
    expireSessions: () => sessions.clear(),
    stop: server.stop,
  };
}

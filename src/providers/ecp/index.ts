/**
 * SAML 2.0 ECP (Shibboleth, SimpleSAMLphp, …): one POST of a PAOS AuthnRequest per attempt.
 * The saved IdP session is tried first, with no password and no second factor; only when the IdP
 * refuses it does awsl use the password and Duo.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { CookieJar } from 'tough-cookie';
import { AuthenticationFailedError, AwslError, IdpResponseError, NetworkError, ProfileNotConfiguredError } from '../../errors.js';
import type { HttpResponse } from '../../http.js';
import { buildEcpAuthnRequest, newRequestId, SoapFaultError, unwrapEcpReply } from '../../saml/ecp.js';
import { checkStatus } from '../../saml/response.js';
import { CookieJarStore } from '../../state/cookie-jar-store.js';
import { keyringAccount, type AuthenticationResult, type Provider } from '../provider.js';
import { ENDPOINT_EXAMPLE, type EcpContext, type EcpSettings } from './descriptor.js';
import { duoDevice, duoMayRun, resolveDuoFactor, withDuoWait, type DuoChoice } from './duo.js';
import { LoginRefusedError } from './errors.js';

interface Attempt {
  jar: CookieJar;
  basic?: { username: string; password: string };
  duo?: DuoChoice;
}

export const ecpProvider: Provider<EcpSettings> = {
  async authenticate(context: EcpContext): Promise<AuthenticationResult> {
    const endpoint = context.settings.ecpEndpointUrl;
    if (!endpoint) {
      throw new ProfileNotConfiguredError(`Profile ${context.settings.profile} has no ECP endpoint URL.`,
        `Run: awsl login configure --profile ${context.settings.profile} --ecp-endpoint-url ${ENDPOINT_EXAMPLE}`);
    }
    // A malformed --duo-device is refused before any request, even when the saved session needs no Duo.
    duoDevice(context);
    const host = new URL(endpoint).host;
    const username = context.settings.username ?? await context.prompter.ask('Username', {
      defaultValue: userInfo().username,
      unattendedHint: `Set it once: awsl login configure --profile ${context.settings.profile} --username NAME`,
    });
    const store = new CookieJarStore(context.stateDirectory);

    const savedJar = await store.load(host, username);
    if ((await savedJar.getCookies(endpoint)).length > 0) {
      try {
        const result = await postAuthnRequest(context, endpoint, { jar: savedJar });
        await store.save(host, username, savedJar);
        context.logger.debug('Logged in through the saved IdP session.');
        return { ...result, usedSavedSession: true };
      } catch (error) {
        if (error instanceof NetworkError || !(error instanceof AwslError)) throw error;
        context.logger.debug(`The IdP refused the saved session (${error.message}); logging in with the password.`);
      }
    }

    const jar = new CookieJar();
    let result: Omit<AuthenticationResult, 'usedSavedSession'>;
    for (;;) {
      const password = await context.password.get(username, host);
      const duo = await resolveDuoFactor(context);
      try {
        result = await withDuoWait(context, duo, (choice) => postAuthnRequest(context, endpoint, { jar, basic: { username, password }, duo: choice }));
        break;
      } catch (error) {
        // A password typed at the prompt gets one more try, as OneLogin's does; never more (lockout).
        if (error instanceof LoginRefusedError) {
          // It may have been Duo: the password stays wherever it is stored. After a passcode, the
          // retry is the passcode's (duo.ts): the password was sent twice already, or the code is spent.
          await context.password.doubted();
          if (duo?.factor === 'passcode' || duo?.factor === 'sms' || !context.password.mayAskAgain()) throw error;
          context.prompter.say(`${error.message} Type the password again (last try).`);
          continue;
        }
        if (!(error instanceof AuthenticationFailedError)) throw error;
        await context.password.rejected();
        if (!context.password.mayAskAgain()) throw error;
        context.prompter.say(`${error.message} Type it again (last try).`);
      }
    }
    await context.password.accepted();
    await store.save(host, username, jar);
    return { ...result, usedSavedSession: false };
  },

  async forgetSession(context) {
    const { ecpEndpointUrl, username } = context.settings;
    if (!ecpEndpointUrl || !username) return;
    const host = new URL(ecpEndpointUrl).host;
    await new CookieJarStore(context.stateDirectory).remove(host, username);
    await context.secrets.delete(keyringAccount(username, host));
  },
};

async function postAuthnRequest(context: EcpContext, endpoint: string, attempt: Attempt): Promise<Omit<AuthenticationResult, 'usedSavedSession'>> {
  const id = newRequestId(randomBytes(16).toString('hex'));
  const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml, application/vnd.paos+xml' };
  if (attempt.basic) {
    headers.authorization = `Basic ${Buffer.from(`${attempt.basic.username}:${attempt.basic.password}`).toString('base64')}`;
  }
  if (attempt.duo) {
    headers[context.settings.duoFactorHeader] = attempt.duo.factor;
    if (attempt.duo.device) headers[context.settings.duoDeviceHeader] = attempt.duo.device;
    if (attempt.duo.passcode) headers[context.settings.duoPasscodeHeader] = attempt.duo.passcode;
  }
  const reply = await context.http.send({
    method: 'POST',
    url: endpoint,
    headers,
    body: buildEcpAuthnRequest({ id, issueInstant: new Date(), acsUrl: context.acsUrl }),
    cookieJar: attempt.jar,
    signal: context.signal,
    secretHeaders: [context.settings.duoPasscodeHeader],
  });
  const { samlResponse, response } = readReply(context, reply, endpoint, attempt);
  try {
    checkStatus(response);
  } catch (error) {
    // Shibboleth answers a wrong password and a refused Duo request with the same AuthnFailed
    // status (README.md, Quirks); only SimpleSAMLphp's WRONGUSERPASS, or no Duo, says it was the password.
    if (error instanceof AuthenticationFailedError && attempt.basic && duoMayRun(context, attempt.duo) && !/WRONGUSERPASS/.test(error.message)) {
      throw loginRefused(context, attempt, error.message.replace(/^.*\((.*)\)\.$/, '$1'));
    }
    throw error;
  }
  return { samlResponse, inResponseTo: id };
}

/** The refusal of a login in which the password or Duo may have failed; the hint says how to tell. */
function loginRefused(context: EcpContext, attempt: Attempt, detail: string): LoginRefusedError {
  const said = detail.replace(/urn:oasis:names:tc:SAML:2\.0:status:/g, '').replace(/\.+$/, '');
  const replaceStored = `a stored password is replaced after awsl logout --profile ${context.settings.profile} --forget`;
  if (!duoMayRun(context, attempt.duo)) {
    return new LoginRefusedError(`The IdP refused the login (${said}) without saying why.`,
      `Check the password (${replaceStored}), or run with AWSL_LOG=debug and ask your IdP administrator.`);
  }
  const { duo } = attempt;
  const device = duo?.device ? `, device ${duo.device}` : '';
  const factor = duo ? `factor ${duo.factor}${device}` : 'the IdP\'s default factor';
  const message = `The IdP refused the login (${said}): the password or the Duo second factor (${factor}) was not accepted, and the IdP does not say which.`;
  if (duo?.passcode) {
    return new LoginRefusedError(message, `Check the passcode (each works once) and the password; ${replaceStored}. Or choose another factor: --duo-factor push|phone|sms.`);
  }
  const otherDevice = device ? '; or another device: --duo-device auto|ID' : '';
  return new LoginRefusedError(message, `If no Duo request reached your device, the password is wrong: type it again; ${replaceStored}. `
    + `Otherwise approve the request in time, or choose another factor: --duo-factor push|phone|sms, or --passcode CODE${otherDevice}.`);
}

function readReply(context: EcpContext, reply: HttpResponse, endpoint: string, attempt: Attempt): ReturnType<typeof unwrapEcpReply> {
  if (reply.status === 401) {
    throw new AuthenticationFailedError(`The IdP rejected the username or password (HTTP 401 from ${new URL(endpoint).host}).`,
      'Check the username, and type the password again.');
  }
  if (reply.status >= 300 && reply.status < 400) {
    throw new IdpResponseError(`The IdP answered with a redirect (HTTP ${reply.status}) to ${String(reply.headers.location ?? 'nowhere')}; awsl does not follow it into a browser login form.`,
      `Check that awsl_ecp_endpoint_url is the IdP's SAML2 SOAP ECP endpoint, that ECP is enabled for urn:amazon:webservices, and that the IdP knows ${context.acsUrl} as its ACS (if it has a regional one, set it: awsl login configure --acs-url URL).`);
  }
  if (reply.contentType === 'text/html' || /^\s*<(!doctype html|html)/i.test(reply.body)) {
    const title = /<title>([^<]{0,120})<\/title>/i.exec(reply.body)?.[1]?.trim();
    // A 5xx page is the IdP's own fault, not the profile's.
    throw new IdpResponseError(`The IdP returned an HTML page (HTTP ${reply.status}${title ? `, "${title}"` : ''}) instead of a SOAP reply.`,
      reply.status >= 500
        ? `The IdP had an internal error (HTTP ${reply.status}): try again later; if it persists, tell your IdP team.`
        : 'Check that awsl_ecp_endpoint_url is the IdP\'s SAML2 SOAP ECP endpoint and that the IdP knows the AWS service provider.');
  }
  try {
    return unwrapEcpReply(reply.body, endpoint);
  } catch (error) {
    // A Client fault to a login is how Shibboleth reports an authentication error it handles as a
    // local event (README.md, Quirks): it does not say which factor failed either.
    if (error instanceof SoapFaultError && error.faultCode === 'Client' && attempt.basic) throw loginRefused(context, attempt, `SOAP fault Client: ${error.faultString}`);
    if (reply.status >= 400 && !(error instanceof SoapFaultError)) {
      throw new IdpResponseError(`The IdP answered HTTP ${reply.status} with no usable SOAP reply.`, 'Check awsl_ecp_endpoint_url, or try again later.');
    }
    throw error;
  }
}

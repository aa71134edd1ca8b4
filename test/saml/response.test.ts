import { expect } from 'chai';
import { AuthenticationFailedError, IdpResponseError, RoleUnavailableError } from '../../src/errors.js';
import { checkAssertion, checkStatus, parseRoleValue, parseSamlResponse, readAssertion, signInSamlUrl } from '../../src/saml/response.js';
import { parseXml } from '../../src/saml/xml.js';

const ACS = 'https://signin.aws.amazon.com/saml';

interface ResponseOptions {
  status?: string; subStatus?: string; message?: string; roles?: string[]; notOnOrAfter?: string; notBefore?: string; recipient?: string;
  extraAssertion?: boolean; duplicateRole?: boolean;
  /** InResponseTo of the Response and of the SubjectConfirmationData; default _REQ, null leaves it out. */
  responseInResponseTo?: string | null; confirmationInResponseTo?: string | null;
  confirmationNotBefore?: string;
}

const inResponseToAttribute = (value: string | null | undefined) => (value === null ? '' : ` InResponseTo="${value ?? '_REQ'}"`);

function response(options: ResponseOptions = {}): string {
  const roles = options.roles ?? ['arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/idp'];
  const roleAttribute = `<saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">${roles.map((r) => `<saml2:AttributeValue>${r}</saml2:AttributeValue>`).join('')}</saml2:Attribute>`;
  const assertion = `<saml2:Assertion ID="_a"><saml2:Subject><saml2:NameID>alice</saml2:NameID><saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData${inResponseToAttribute(options.confirmationInResponseTo)}${options.confirmationNotBefore ? ` NotBefore="${options.confirmationNotBefore}"` : ''} NotOnOrAfter="${options.notOnOrAfter ?? '2030-01-01T00:05:00Z'}" Recipient="${options.recipient ?? ACS}"/></saml2:SubjectConfirmation></saml2:Subject>`
    + `<saml2:Conditions NotBefore="${options.notBefore ?? '2029-12-31T23:59:00Z'}" NotOnOrAfter="2030-01-01T00:05:00Z"/>`
    + `<saml2:AttributeStatement>${roles.length ? roleAttribute : ''}${options.duplicateRole ? roleAttribute : ''}<saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml2:AttributeValue>alice@example.org</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><saml2:AttributeValue>28800</saml2:AttributeValue></saml2:Attribute></saml2:AttributeStatement></saml2:Assertion>`;
  const status = `<saml2p:Status><saml2p:StatusCode Value="${options.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}">${options.subStatus ? `<saml2p:StatusCode Value="${options.subStatus}"/>` : ''}</saml2p:StatusCode>${options.message ? `<saml2p:StatusMessage>${options.message}</saml2p:StatusMessage>` : ''}</saml2p:Status>`;
  return `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" Destination="${ACS}"${inResponseToAttribute(options.responseInResponseTo)}>${status}${options.status ? '' : assertion}${options.extraAssertion ? assertion : ''}</saml2p:Response>`;
}

const now = new Date('2030-01-01T00:00:00Z');

describe('saml/response', () => {
  describe('parseRoleValue', () => {
    it('reads role and provider in either order, in every partition', () => {
      expect(parseRoleValue('arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/idp')).to.deep.equal({
        roleArn: 'arn:aws:iam::111111111111:role/Admin', principalArn: 'arn:aws:iam::111111111111:saml-provider/idp', accountId: '111111111111', roleName: 'Admin', partition: 'aws',
      });
      const gov = parseRoleValue(' arn:aws-us-gov:iam::222222222222:saml-provider/idp , arn:aws-us-gov:iam::222222222222:role/team/Ops ');
      expect(gov.roleArn).to.equal('arn:aws-us-gov:iam::222222222222:role/team/Ops');
      expect(gov.roleName).to.equal('team/Ops');
      expect(parseRoleValue('arn:aws-cn:iam::333333333333:role/R,arn:aws-cn:iam::333333333333:saml-provider/p').partition).to.equal('aws-cn');
    });

    it('refuses values that are not exactly a role and a provider', () => {
      expect(() => parseRoleValue('Default')).to.throw(IdpResponseError, 'cannot read');
      expect(() => parseRoleValue('arn:aws:iam::111111111111:role/A,arn:aws:iam::111111111111:role/B')).to.throw(IdpResponseError);
    });
  });

  describe('checkStatus', () => {
    it('passes a success status', () => {
      checkStatus(parseXml(response(), 'r'));
    });

    it('reports SimpleSAMLphp WRONGUSERPASS and Shibboleth AuthnFailed as a rejected password', () => {
      expect(() => checkStatus(parseXml(response({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder', message: 'WRONGUSERPASS' }), 'r'))).to.throw(AuthenticationFailedError);
      expect(() => checkStatus(parseXml(response({ status: 'urn:oasis:names:tc:SAML:2.0:status:Requester', subStatus: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed' }), 'r'))).to.throw(AuthenticationFailedError);
    });

    it('reports any other status with its codes', () => {
      expect(() => checkStatus(parseXml(response({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder', subStatus: 'urn:oasis:names:tc:SAML:2.0:status:NoPassive' }), 'r')))
        .to.throw(IdpResponseError, 'NoPassive');
    });
  });

  describe('readAssertion and checkAssertion', () => {
    it('reads roles, session name, duration and validity', () => {
      const info = readAssertion(parseXml(response(), 'r'));
      expect(info.roles.map((r) => r.roleArn)).to.deep.equal(['arn:aws:iam::111111111111:role/Admin']);
      expect(info.roleSessionName).to.equal('alice@example.org');
      expect(info.sessionDurationSeconds).to.equal(28800);
      expect(info.notOnOrAfter?.toISOString()).to.equal('2030-01-01T00:05:00.000Z');
      checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now });
    });

    it('refuses a Response that answers another request', () => {
      const info = readAssertion(parseXml(response(), 'r'));
      expect(() => checkAssertion(info, { inResponseTo: '_OTHER', acsUrl: ACS, now })).to.throw(IdpResponseError, 'not awsl\'s request _OTHER');
    });

    it('refuses a Response that says it answers no request, or only on its unsigned Response element', () => {
      for (const shape of [{ responseInResponseTo: null, confirmationInResponseTo: null }, { confirmationInResponseTo: null }] as const) {
        const info = readAssertion(parseXml(response(shape), 'r'));
        expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now }), JSON.stringify(shape))
          .to.throw(IdpResponseError, 'The SAML assertion does not say which request it answers (no InResponseTo in its SubjectConfirmationData); awsl sent request _REQ.');
      }
      // An IdP-initiated Response (OneLogin) answers no request, and none is expected.
      checkAssertion(readAssertion(parseXml(response({ responseInResponseTo: null, confirmationInResponseTo: null }), 'r')), { inResponseTo: undefined, acsUrl: ACS, now });
    });

    it('takes the request from the Assertion, and refuses a Response element that disagrees with it', () => {
      checkAssertion(readAssertion(parseXml(response({ responseInResponseTo: null }), 'r')), { inResponseTo: '_REQ', acsUrl: ACS, now });
      const replayed = readAssertion(parseXml(response({ confirmationInResponseTo: '_OLD' }), 'r'));
      for (const expected of ['_REQ', undefined]) {
        expect(() => checkAssertion(replayed, { inResponseTo: expected, acsUrl: ACS, now }))
          .to.throw(IdpResponseError, 'The SAML Response says it answers request _REQ, but its Assertion answers request _OLD.');
      }
    });

    it('refuses an assertion addressed to another partition', () => {
      const info = readAssertion(parseXml(response(), 'r'));
      expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: signInSamlUrl('aws-us-gov'), now })).to.throw(IdpResponseError, 'addressed to');
    });

    it('names the clock skew when the assertion has expired or is not yet valid', () => {
      const info = readAssertion(parseXml(response(), 'r'));
      expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now: new Date('2030-01-01T01:05:00Z') })).to.throw(IdpResponseError, '3600 s later');
      expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now: new Date('2029-12-31T23:00:00Z') })).to.throw(IdpResponseError, '3540 s earlier');
      // Within the allowance: fine.
      checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now: new Date('2030-01-01T00:06:00Z') });
      // Just past it, either way: refused.
      expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now: new Date('2030-01-01T00:08:10Z') })).to.throw(IdpResponseError, '190 s later');
      expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now: new Date('2029-12-31T23:55:50Z') })).to.throw(IdpResponseError, '190 s earlier');
    });

    it('enforces the SubjectConfirmationData NotBefore with the same clock-skew allowance', () => {
      const info = readAssertion(parseXml(response({ confirmationNotBefore: '2030-01-01T00:04:00Z' }), 'r'));
      expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now })).to.throw(IdpResponseError, 'valid only from 2030-01-01T00:04:00.000Z');
      expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now })).to.throw(IdpResponseError, '240 s earlier');
      checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now: new Date('2030-01-01T00:01:00Z') });
    });

    it('reports an assertion without roles as no role granted', () => {
      const info = readAssertion(parseXml(response({ roles: [] }), 'r'));
      expect(() => checkAssertion(info, { inResponseTo: '_REQ', acsUrl: ACS, now })).to.throw(RoleUnavailableError, 'no https://aws.amazon.com/SAML/Attributes/Role');
    });

    it('names a SAML 1.x reply as such', () => {
      const saml1 = response().replace('urn:oasis:names:tc:SAML:2.0:protocol', 'urn:oasis:names:tc:SAML:1.0:protocol');
      expect(() => parseSamlResponse(Buffer.from(saml1).toString('base64'), 'the OneLogin IdP'))
        .to.throw(IdpResponseError, 'The OneLogin IdP sent a SAML 1.x Response, not a SAML 2.0 Response.');
    });

    it('quotes what the IdP sent readably: one line, no markup, no base64 blob, never cut mid-word', () => {
      const detail = `Bad   <b>thing</b>\n${'QUJD'.repeat(30)} ${'word '.repeat(60)}`;
      const error = catchError(() => checkStatus(parseXml(response({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder', message: detail.replace(/</g, '&lt;').replace(/>/g, '&gt;') }), 'r')));
      expect(error.message).to.match(/^The IdP did not log you in: urn:oasis:names:tc:SAML:2\.0:status:Responder \/ Bad … thing … \(base64\) (word )+…\.$/);
    });

    it('refuses duplicate assertions and duplicate Role attributes (wrapping shapes)', () => {
      expect(() => readAssertion(parseXml(response({ extraAssertion: true }), 'r'))).to.throw(IdpResponseError, '2 Assertion');
      expect(() => readAssertion(parseXml(response({ duplicateRole: true }), 'r'))).to.throw(IdpResponseError, 'repeats the attribute');
    });
  });

  describe('AWS sign-in endpoints', () => {
    const regional = 'https://eu-west-1.signin.aws.amazon.com/saml';
    const at = (destination: string, recipient = destination) => readAssertion(parseXml(response({ recipient }).replace(`Destination="${ACS}"`, `Destination="${destination}"`), 'r'));

    it('without awsl_acs_url: accepts any AWS sign-in SAML endpoint of the partition as Destination and Recipient', () => {
      for (const url of [regional, 'https://signin.aws.amazon.com/static/saml', 'https://us-east-2.signin.aws.amazon.com/saml/acs/SAMLSP1234']) {
        checkAssertion(at(url), { inResponseTo: '_REQ', acsUrl: ACS, anySignInEndpoint: true, now });
      }
      checkAssertion(at(ACS, regional), { inResponseTo: '_REQ', acsUrl: ACS, anySignInEndpoint: true, now });
    });

    it('without awsl_acs_url: refuses other partitions and anything that is not AWS', () => {
      for (const url of ['https://us-gov-west-1.signin.amazonaws-us-gov.com/saml', 'https://signin.aws.amazon.com.evil.example/saml', 'https://sp.example.org/saml']) {
        expect(() => checkAssertion(at(url), { inResponseTo: '_REQ', acsUrl: ACS, anySignInEndpoint: true, now }), url)
          .to.throw(IdpResponseError, `The SAML Response is addressed to ${url} (Destination), not to an AWS sign-in SAML endpoint such as ${ACS}.`);
      }
    });

    it('with awsl_acs_url: expects exactly it, and says how to change it', () => {
      checkAssertion(at(regional), { inResponseTo: '_REQ', acsUrl: regional, now });
      let shown = '';
      try {
        checkAssertion(at(ACS), { inResponseTo: '_REQ', acsUrl: regional, now });
      } catch (error) {
        shown = (error as IdpResponseError).describe();
      }
      expect(shown).to.equal(`The SAML Response is addressed to ${ACS} (Destination), not to ${regional}.\n`
        + 'awsl asks for the awsl_acs_url of the profile: set it to the AWS sign-in endpoint your IdP is configured with (awsl login configure --acs-url URL), or ask your IdP administrator.');
    });
  });

  describe('encrypted assertions', () => {
    const encrypted = (extra = '', issueInstant = '2029-12-31T23:59:30Z') => parseXml('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
      + `Destination="${ACS}" InResponseTo="_REQ" IssueInstant="${issueInstant}" ID="_r" Version="2.0"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
      + `<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>${extra}</samlp:Response>`, 'r');

    it('reads only the Response around it: addressing, request and issue time; nothing from inside', () => {
      const info = readAssertion(encrypted());
      expect(info).to.deep.include({
        encrypted: true, roles: [], roleSessionName: undefined, sessionDurationSeconds: undefined, inResponseTo: '_REQ', destination: ACS, recipient: undefined,
        sourceIdentity: undefined, sessionTags: {}, transitiveTagKeys: [],
      });
      expect(info.notBefore?.toISOString()).to.equal('2029-12-31T23:59:30.000Z');
      expect(info.notOnOrAfter?.toISOString(), 'STS redeems within 5 minutes of issue').to.equal('2030-01-01T00:04:30.000Z');
    });

    it('keeps the request, Destination and issue-time checks', () => {
      const roles = [parseRoleValue('arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/idp')];
      checkAssertion({ ...readAssertion(encrypted()), roles }, { inResponseTo: '_REQ', acsUrl: ACS, now });
      expect(() => checkAssertion({ ...readAssertion(encrypted()), roles }, { inResponseTo: '_OTHER', acsUrl: ACS, now })).to.throw(IdpResponseError, 'not awsl\'s request _OTHER');
      expect(() => checkAssertion({ ...readAssertion(encrypted()), roles }, { inResponseTo: '_REQ', acsUrl: signInSamlUrl('aws-cn'), now })).to.throw(IdpResponseError, 'addressed to');
      expect(() => checkAssertion({ ...readAssertion(encrypted('', '2029-12-31T23:50:00Z')), roles }, { inResponseTo: '_REQ', acsUrl: ACS, now })).to.throw(IdpResponseError, 'expired');
      expect(() => checkAssertion({ ...readAssertion(encrypted('', '2030-01-01T00:10:00Z')), roles }, { inResponseTo: '_REQ', acsUrl: ACS, now })).to.throw(IdpResponseError, 'valid only from');
    });

    it('refuses a second assertion beside it, readable or not, and a Response without IssueInstant', () => {
      expect(() => readAssertion(encrypted('<saml:Assertion ID="_b"/>'))).to.throw(IdpResponseError, 'an encrypted assertion and another assertion');
      expect(() => readAssertion(encrypted('<saml:EncryptedAssertion/>'))).to.throw(IdpResponseError, 'an encrypted assertion and another assertion');
      const undated = parseXml('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:EncryptedAssertion/></samlp:Response>', 'r');
      expect(() => readAssertion(undated)).to.throw(IdpResponseError, 'has no IssueInstant');
    });
  });

  describe('SourceIdentity and session tags', () => {
    const attribute = (name: string, ...values: string[]) => `<saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/${name}">${values.map((v) => `<saml2:AttributeValue>${v}</saml2:AttributeValue>`).join('')}</saml2:Attribute>`;
    const withAttributes = (...attributes: string[]) => parseXml(response().replace('</saml2:AttributeStatement>', `${attributes.join('')}</saml2:AttributeStatement>`), 'r');

    it('reads SourceIdentity, each PrincipalTag as a session tag and TransitiveTagKeys, exactly as written', () => {
      const info = readAssertion(withAttributes(attribute('SourceIdentity', 'alice.b'), attribute('PrincipalTag:Project', 'Apollo 11'), attribute('PrincipalTag:cost-center', 'cc=1234'),
        attribute('TransitiveTagKeys', 'Project', 'cost-center')));
      expect(info).to.deep.include({ sourceIdentity: 'alice.b', sessionTags: { Project: 'Apollo 11', 'cost-center': 'cc=1234' }, transitiveTagKeys: ['Project', 'cost-center'] });
    });

    it('reads none when there are none, and refuses a tag given twice', () => {
      expect(readAssertion(withAttributes())).to.deep.include({ sourceIdentity: undefined, sessionTags: {}, transitiveTagKeys: [] });
      expect(() => readAssertion(withAttributes(attribute('PrincipalTag:Project', 'A'), attribute('PrincipalTag:Project', 'B')))).to.throw(IdpResponseError, 'repeats the attribute');
    });
  });
});

function catchError(run: () => unknown): IdpResponseError {
  try {
    run();
  } catch (error) {
    if (error instanceof IdpResponseError) return error;
    throw error;
  }
  throw new Error('expected an IdpResponseError');
}

// A stand-in for Twilio's Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json; see fake-service.ts),
// so src/mail/sms.ts's Basic authentication and form encoding are exercised against Twilio's own refusals.
import { randomBytes } from 'node:crypto';
import { header, startFakeService, type Answer, type FakeService } from './fake-service.ts';

export type TwilioRequest = { method: string; path: string; authorization: string | null; contentType: string | null; form: Record<string, string>; status: number | null };
export type TwilioMessage = { sid: string; to: string; from: string | null; messagingServiceSid: string | null; body: string };

export type FakeTwilio = FakeService<TwilioRequest> & { accountSid: string; authToken: string; messages: TwilioMessage[] };

const fail = (status: number, code: number, message: string): Answer =>
  ({ status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } });

export async function startFakeTwilio(accountSid = 'AC00000000000000000000000000000001', authToken = 'fake-twilio-auth-token'): Promise<FakeTwilio> {
  const messages: TwilioMessage[] = [];
  const service = await startFakeService<TwilioRequest>({
    record: (request) => ({
      method: request.method, path: request.path, authorization: header(request, 'authorization'),
      contentType: header(request, 'content-type'), form: Object.fromEntries(new URLSearchParams(request.body)), status: null,
    }),
    refuse({ method, path, authorization, contentType, form }) {
      if (method !== 'POST' || path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return fail(404, 20404, 'The requested resource was not found');
      if (authorization !== `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`) return fail(401, 20003, 'Authenticate');
      if (!contentType?.startsWith('application/x-www-form-urlencoded')) return fail(400, 20001, 'Unsupported content type');
      if (!form.To || !/^\+\d{8,15}$/.test(form.To)) return fail(400, 21211, "The 'To' number is not a valid phone number.");
      if (!form.From && !form.MessagingServiceSid) return fail(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required");
      if (!form.Body) return fail(400, 21602, 'Message body is required.');
      return null;
    },
    failure: (status) => fail(status, status === 429 ? 20429 : 20500, 'Failing on purpose'),
    accept({ form }) {
      const sid = `SM${randomBytes(16).toString('hex')}`;
      messages.push({ sid, to: form.To, from: form.From ?? null, messagingServiceSid: form.MessagingServiceSid ?? null, body: form.Body });
      return { status: 201, json: { sid, status: 'queued', to: form.To, from: form.From ?? null, body: form.Body, account_sid: accountSid } };
    },
    forget() {
      messages.length = 0;
    },
  });
  return { ...service, accountSid, authToken, messages };
}

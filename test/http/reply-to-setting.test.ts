// The practice's Reply-To address (practice settings, P7): families' replies reach the practice, not a no-reply box.
// Validated with the input kept, saved and audited like every setting, and carried by the practice's next email.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMailWorker } from '../../src/mail/delivery.ts';
import { startFakeSmtp } from '../support/fake-smtp.ts';
import { STAFF_PASSWORD, Client, createTestContext, signIn, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
const smtp = await startFakeSmtp();
test.after(async () => {
  await smtp.close();
  await ctx.close();
});

const SETTINGS = '/sunny-pediatrics/practice/settings';
const admin = new Client(ctx.app, '198.51.100.140');
await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);

/** Every field of the settings form as the page fills it, with `changes` on top. */
async function form(changes: Record<string, string>): Promise<Record<string, string>> {
  const html = await (await admin.get(SETTINGS)).text();
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input id="field-[a-z_]+" name="([a-z_]+)" type="(?:text|email|tel)" value="([^"]*)"/g)) fields[m[1]] = m[2];
  for (const m of html.matchAll(/<input type="checkbox" id="field-[a-z_]+" name="([a-z_]+)" value="1"( checked="")?/g)) if (m[2]) fields[m[1]] = '1';
  for (const m of html.matchAll(/<select[^>]* name="([a-z_]+)"[^>]*>[\s\S]*?<option value="([^"]*)" selected=""/g)) fields[m[1]] = m[2];
  return { ...fields, ...changes };
}

const stored = async () => (await ctx.owner`select settings->>'replyToEmail' as reply_to from tenants where slug = 'sunny-pediatrics'`)[0].reply_to;

test('the settings page offers a labelled email field, empty until the practice chooses an address', async () => {
  const html = await (await admin.get(SETTINGS)).text();
  assert.match(html, /<label for="field-reply_to_email">Reply-to address for emails<\/label>/);
  assert.match(html, /<input id="field-reply_to_email" name="reply_to_email" type="email" value=""/);
  assert.match(textOf(html), 'when families or staff reply, their answer goes to this address');
});

test('a malformed address is refused with 422, the input kept and nothing saved', async () => {
  const response = await admin.post(SETTINGS, await form({ reply_to_email: 'front desk at sunny' }));
  assert.is(response.status, 422);
  const html = await response.text();
  assert.match(html, /name="reply_to_email" type="email" value="front desk at sunny"[^>]*aria-invalid="true"/);
  assert.match(textOf(html), 'Enter a full email address, such as frontdesk@yourpractice.com.');
  assert.is(await stored(), null);
});

test('a saved address is audited, shown again, and becomes the Reply-To of the practice’s emails; emptying it removes it', async () => {
  const saved = await admin.post(SETTINGS, await form({ reply_to_email: ' FrontDesk@SunnyPediatrics.example ' }));
  assert.is(saved.status, 303);
  assert.is(await stored(), 'frontdesk@sunnypediatrics.example');
  assert.match(await (await admin.get(SETTINGS)).text(), /name="reply_to_email" type="email" value="frontdesk@sunnypediatrics.example"/);
  const [event] = await ctx.owner`select detail from audit_events where action = 'settings.changed' order by id desc limit 1`;
  assert.equal(event.detail, { before: { replyToEmail: null }, after: { replyToEmail: 'frontdesk@sunnypediatrics.example' } });
  assert.match(textOf(await (await admin.get('/sunny-pediatrics/practice/audit?action=settings.changed')).text()),
    'Reply-to address for emails');

  // An email the practice sends now (an administrator's reset link for a staff member) carries it.
  const [nurse] = await ctx.owner`select a.id from accounts a join tenants t on t.id = a.tenant_id where t.slug = 'sunny-pediatrics' and a.username = 'camilles'`;
  assert.is((await admin.post(`/sunny-pediatrics/practice/staff/${nurse.id}/reset-password`, { confirm: '1' })).status, 303);
  const worker = createMailWorker({ db: ctx.db, config: { ...ctx.config, smtpUrl: smtp.url }, log: () => {} });
  assert.is((await worker.runOnce()).sent, 1);
  assert.equal(smtp.deliveries.map((d) => [d.from.name, d.replyTo]), [['Sunny Pediatrics', 'frontdesk@sunnypediatrics.example']]);

  assert.is((await admin.post(SETTINGS, await form({ reply_to_email: '' }))).status, 303);
  assert.is(await stored(), null);
});

test.run();

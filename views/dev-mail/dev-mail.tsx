import type { FC } from 'hono/jsx';
import type { DevMailMessage } from '../../src/features/dev-mail/dev-mail.ts';
import { Layout, type Chrome } from '../ui/layout.tsx';

const Time: FC<{ at: Date }> = ({ at }) => <time datetime={at.toISOString()}>{at.toISOString().slice(0, 19).replace('T', ' ')} UTC</time>;

export const DevMailboxPage: FC<{ chrome: Chrome; messages: DevMailMessage[]; to: string }> = ({ chrome, messages, to }) => (
  <Layout title="Development mailbox" chrome={chrome}>
    <h1>Development mailbox</h1>
    <p>
      Every email Gatehouse queued, newest first, across all practices. With no <code>RESEND_API_KEY</code> nothing
      leaves this server; this page does not exist in production.
    </p>
    <p>Text messages with sign-in codes (kind <code>sms</code>) are listed here too, addressed to the phone number.</p>
    <form method="get" action="/_dev/mail" class="actions">
      <div class="field">
        <label for="field-to">Recipient</label>
        <input id="field-to" name="to" type="email" value={to} autocomplete="off" />
      </div>
      <button type="submit">Filter</button>
      {to && <a href="/_dev/mail">Show all</a>}
    </form>
    {messages.length === 0 ? (
      <p>No messages yet.</p>
    ) : (
      <table class="stack">
        <caption>{messages.length === 1 ? '1 message' : `${messages.length} messages`}</caption>
        <thead>
          <tr>
            <th scope="col">Queued</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr>
              <td><Time at={m.createdAt} /></td>
              <td data-label="To">{m.to}</td>
              <td data-label="Subject"><a href={`/_dev/mail/${m.id}`}>{m.subject}</a></td>
              <td data-label="Kind">{m.kind}</td>
              <td data-label="Status">{m.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </Layout>
);

// The email's HTML is framed from its own address (/_dev/mail/{id}/html), which answers with a policy of its own:
// email HTML styles itself inline, which this page's strict CSP rightly refuses (a srcdoc frame would inherit it).
// The frame is sandboxed (no script, an origin of its own); its links open in a new tab, so a developer can follow
// a reset link from here.
export const DevMailMessagePage: FC<{ chrome: Chrome; message: DevMailMessage }> = ({ chrome, message }) => (
  <Layout title={message.subject} chrome={chrome}>
    <p><a href="/_dev/mail">Back to the mailbox</a></p>
    <h1>{message.subject}</h1>
    <dl class="mail-headers">
      <dt>To</dt><dd>{message.to}</dd>
      <dt>Kind</dt><dd>{message.kind}</dd>
      <dt>Status</dt><dd>{message.status}</dd>
      <dt>Queued</dt><dd><Time at={message.createdAt} /></dd>
      {message.sentAt && <><dt>Sent</dt><dd><Time at={message.sentAt} /></dd></>}
    </dl>
    {message.html === null && message.text === null ? (
      <p>The body was cleared after delivery.</p>
    ) : (
      <>
        <h2>HTML version</h2>
        {message.html === null ? <p>No HTML version.</p> : (
          <iframe class="mail-html" sandbox="allow-popups allow-popups-to-escape-sandbox" src={`/_dev/mail/${message.id}/html`}
            title={`HTML version of “${message.subject}”`} width="100%" height="560"></iframe>
        )}
        <h2>Plain-text version</h2>
        <pre class="mail-text">{message.text}</pre>
      </>
    )}
  </Layout>
);

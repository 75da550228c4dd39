import type { FC } from 'hono/jsx';
import type { DevMailMessage } from '../../src/features/dev-mail/dev-mail.ts';
import { practiceText } from '../../src/copy/practice/index.ts';
import { Layout, type Chrome } from '../ui/layout.tsx';

const T = practiceText.devMail;

const Time: FC<{ at: Date }> = ({ at }) => <time datetime={at.toISOString()}>{at.toISOString().slice(0, 19).replace('T', ' ')} {T.utc}</time>;

export const DevMailboxPage: FC<{ chrome: Chrome; messages: DevMailMessage[]; to: string }> = ({ chrome, messages, to }) => (
  <Layout title={T.title} chrome={chrome}>
    <h1>{T.title}</h1>
    <p>{T.introStart}<code>RESEND_API_KEY</code>{T.introEnd}</p>
    <p>{T.smsStart}<code>sms</code>{T.smsEnd}</p>
    <form method="get" action="/_dev/mail" class="actions">
      <div class="field">
        <label for="field-to">{T.recipient}</label>
        <input id="field-to" name="to" type="email" value={to} autocomplete="off" />
      </div>
      <button type="submit">{T.filter}</button>
      {to && <a href="/_dev/mail">{T.showAll}</a>}
    </form>
    {messages.length === 0 ? (
      <p>{T.none}</p>
    ) : (
      <table class="stack">
        <caption>{T.count(messages.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{T.columns.queued}</th>
            <th scope="col">{T.columns.to}</th>
            <th scope="col">{T.columns.subject}</th>
            <th scope="col">{T.columns.kind}</th>
            <th scope="col">{T.columns.status}</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr>
              <td><Time at={m.createdAt} /></td>
              <td data-label={T.columns.to}>{m.to}</td>
              <td data-label={T.columns.subject}><a href={`/_dev/mail/${m.id}`}>{m.subject}</a></td>
              <td data-label={T.columns.kind}>{m.kind}</td>
              <td data-label={T.columns.status}>{m.status}</td>
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
    <p><a href="/_dev/mail">{T.back}</a></p>
    <h1>{message.subject}</h1>
    <dl class="mail-headers">
      <dt>{T.columns.to}</dt><dd>{message.to}</dd>
      <dt>{T.columns.kind}</dt><dd>{message.kind}</dd>
      <dt>{T.columns.status}</dt><dd>{message.status}</dd>
      <dt>{T.columns.queued}</dt><dd><Time at={message.createdAt} /></dd>
      {message.sentAt && <><dt>{T.columns.sent}</dt><dd><Time at={message.sentAt} /></dd></>}
    </dl>
    {message.html === null && message.text === null ? (
      <p>{T.cleared}</p>
    ) : (
      <>
        <h2>{T.html}</h2>
        {message.html === null ? <p>{T.noHtml}</p> : (
          <iframe class="mail-html" sandbox="allow-popups allow-popups-to-escape-sandbox" src={`/_dev/mail/${message.id}/html`}
            title={T.htmlOf(message.subject)} width="100%" height="560"></iframe>
        )}
        <h2>{T.text}</h2>
        <pre class="mail-text">{message.text}</pre>
      </>
    )}
  </Layout>
);

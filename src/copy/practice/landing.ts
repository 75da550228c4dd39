// The front door before any practice is known (GET /), and the development mailbox (never in production). Staff and
// developers read these; both stay English.

export const landingEn = {
  title: 'Find your practice',
  intro: 'Use the sign-in link your practice gave you. It looks like ',
  example: '/your-practice/patient/login',
  introEnd: '.',
  development: 'Practices on this development server',
  patientPortal: 'patient portal',
  practicePortal: 'practice portal',
};

export const devMailEn = {
  title: 'Development mailbox',
  introStart: 'Every email Gatehouse queued, newest first, across all practices. With no ',
  introEnd: ' nothing leaves this server; this page does not exist in production.',
  smsStart: 'Text messages with sign-in codes (kind ',
  smsEnd: ') are listed here too, addressed to the phone number.',
  recipient: 'Recipient',
  filter: 'Filter',
  showAll: 'Show all',
  none: 'No messages yet.',
  count: (n: number) => (n === 1 ? '1 message' : `${n} messages`),
  columns: { queued: 'Queued', to: 'To', subject: 'Subject', kind: 'Kind', status: 'Status', sent: 'Sent' },
  back: 'Back to the mailbox',
  cleared: 'The body was cleared after delivery.',
  html: 'HTML version',
  noHtml: 'No HTML version.',
  htmlOf: (subject: string) => `HTML version of “${subject}”`,
  text: 'Plain-text version',
  utc: 'UTC',
};

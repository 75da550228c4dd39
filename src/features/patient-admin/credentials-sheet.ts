import type PDFKit from 'pdfkit';
import { onFirstUse } from '../../platform/on-first-use.ts';

const pdfkit = onFirstUse<typeof PDFKit>('pdfkit');
import type { Messages } from '../../copy/messages.ts';
import type { NoticeOutcome } from './temporary-password.ts';

// The printable credentials sheet (P5): what a guardian takes home after staff set a temporary password. Rendered on
// request from the encrypted printout and never stored; the words come from messages.ts, as guardians read them.

export type CredentialsSheet = {
  practice: string;
  guardianName: string;
  /** Every patient the account is linked to: a reset or a disabled account affects them all. */
  patientNames: string[];
  portalAddress: string;
  username: string;
  temporaryPassword: string;
  temporaryUntil: Date;
  /** The practice's time zone, in which "Valid until" is written. */
  timeZone: string;
  notice: NoticeOutcome;
};

export function renderCredentialsSheet(t: Messages, sheet: CredentialsSheet): Promise<Buffer> {
  const m = t.credentialsSheet;
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    size: 'LETTER', margin: 64,
    info: { Title: `${sheet.practice}: ${m.title}`, Author: sheet.practice, Subject: m.title },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(20).text(sheet.practice);
  doc.moveDown(0.3).font('Helvetica').fontSize(15).text(m.title);
  doc.moveDown(0.8).fontSize(11).text(m.intro(sheet.practice));
  doc.moveDown(0.8);

  const row = (label: string, value: string, strong = false) => {
    doc.font('Helvetica').fontSize(10).fillColor('#444444').text(label);
    doc.font(strong ? 'Courier-Bold' : 'Helvetica-Bold').fontSize(strong ? 16 : 12).fillColor('#000000').text(value);
    doc.moveDown(0.5);
  };
  row(m.guardian, sheet.guardianName);
  row(sheet.patientNames.length === 1 ? m.patient : m.patients, sheet.patientNames.join(', '));
  row(m.portalAddress, sheet.portalAddress);
  row(m.username, sheet.username, true);
  row(m.password, sheet.temporaryPassword, true);
  row(m.validUntil, m.expiry(m.formatDate(sheet.temporaryUntil, sheet.timeZone)));

  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(13).text(m.stepsHeading);
  doc.moveDown(0.3).font('Helvetica').fontSize(11);
  m.steps(sheet.portalAddress).forEach((step, i) => doc.text(`${i + 1}. ${step}`, { indent: 0 }).moveDown(0.2));

  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(13).text(m.emailHeading);
  doc.moveDown(0.3).font('Helvetica').fontSize(11)
    .text('sentTo' in sheet.notice ? m.emailSent(sheet.notice.sentTo) : m.emailNotSent[sheet.notice.missingReason]);

  doc.moveDown(1.5).fontSize(9).fillColor('#444444').text(m.footer(sheet.practice));
  doc.end();
  return done;
}

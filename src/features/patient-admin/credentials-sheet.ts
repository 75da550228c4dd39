import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type PDFKit from 'pdfkit';
import type { Messages } from '../../copy/messages.ts';
import { onFirstUse } from '../../platform/on-first-use.ts';
import { PROJECT_ROOT } from '../../platform/project-root.ts';
import type { NoticeOutcome } from './temporary-password.ts';

const pdfkit = onFirstUse<typeof PDFKit>('pdfkit');

// PDF's standard fonts (Helvetica, Courier) only know Windows-1252 and are not embedded, so a viewer may draw "ñ" or
// "¿" with whatever it has. DejaVu Sans (assets/fonts, with its licence) is embedded instead, and only the letters the
// sheet uses (the PDF stays small). The temporary password keeps a monospaced face so 0/O and 1/l stay apart.
let fonts: { regular: Buffer; bold: Buffer } | null = null;
function sheetFonts() {
  fonts ??= {
    regular: readFileSync(join(PROJECT_ROOT, 'assets/fonts/DejaVuSans.ttf')),
    bold: readFileSync(join(PROJECT_ROOT, 'assets/fonts/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

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
  const { regular, bold } = sheetFonts();
  doc.registerFont('Sheet', regular);
  doc.registerFont('Sheet-Bold', bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Sheet-Bold').fontSize(20).text(sheet.practice);
  doc.moveDown(0.3).font('Sheet').fontSize(15).text(m.title);
  doc.moveDown(0.8).fontSize(11).text(m.intro(sheet.practice));
  doc.moveDown(0.8);

  const row = (label: string, value: string, strong = false) => {
    doc.font('Sheet').fontSize(10).fillColor('#444444').text(label);
    // Courier (standard, Windows-1252) is kept for plain ASCII; anything else falls back to the embedded face.
    const mono = strong && /^[\x20-\x7e]*$/.test(value);
    doc.font(mono ? 'Courier-Bold' : 'Sheet-Bold').fontSize(strong ? 16 : 12).fillColor('#000000').text(value);
    doc.moveDown(0.5);
  };
  row(m.guardian, sheet.guardianName);
  row(sheet.patientNames.length === 1 ? m.patient : m.patients, sheet.patientNames.join(', '));
  row(m.portalAddress, sheet.portalAddress);
  row(m.username, sheet.username, true);
  row(m.password, sheet.temporaryPassword, true);
  row(m.validUntil, m.expiry(m.formatDate(sheet.temporaryUntil, sheet.timeZone)));

  doc.moveDown(0.5).font('Sheet-Bold').fontSize(13).text(m.stepsHeading);
  doc.moveDown(0.3).font('Sheet').fontSize(11);
  m.steps(sheet.portalAddress).forEach((step, i) => doc.text(`${i + 1}. ${step}`, { indent: 0 }).moveDown(0.2));

  doc.moveDown(0.5).font('Sheet-Bold').fontSize(13).text(m.emailHeading);
  doc.moveDown(0.3).font('Sheet').fontSize(11)
    .text('sentTo' in sheet.notice ? m.emailSent(sheet.notice.sentTo) : m.emailNotSent[sheet.notice.missingReason]);

  doc.moveDown(1.5).fontSize(9).fillColor('#444444').text(m.footer(sheet.practice));
  doc.end();
  return done;
}

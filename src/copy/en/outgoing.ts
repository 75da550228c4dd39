// English: What goes out to a family: emails, text messages and the printed sign-in sheet.
import { count } from '../plural.ts';
import { clockFor } from '../time.ts';
import { EN_US as LOCALE } from '../locales.ts';

export const outgoing = {
  emails: {
    footer: (practice: string) => `Sent by ${practice} through its secure portal. If you did not expect this email, you can ignore it or call the practice.`,
    reset: {
      subject: (practice: string) => `Reset your ${practice} portal password`,
      intro: (practice: string) => `Someone (we hope you) asked to reset the password of your ${practice} portal account.`,
      action: 'Choose a new password',
      validity: (hours: number) => `This link works once and for ${count(LOCALE, hours, { one: 'hour', other: 'hours' })}. After that, ask for a new one.`,
      username: (username: string) => `Your username, in case you've forgotten: ${username}`,
      ignore: 'If you did not ask for this, you can ignore this email: your password stays the same.',
    },
    // Sent by staff from Patient Administration ("Reset Password" on a guardian's portal access page).
    practiceReset: {
      subject: (practice: string) => `${practice} sent you a link to reset your portal password`,
      intro: (practice: string) => `${practice} sent you a link to choose a new password for your patient portal account.`,
      action: 'Choose a new password',
      validity: (hours: number) => `This link works once and for ${count(LOCALE, hours, { one: 'hour', other: 'hours' })}. After that, the practice can send you a new one.`,
      username: (username: string) => `Your username, in case you've forgotten: ${username}`,
      notYou: (practice: string) => `If you did not ask ${practice} for this, you can ignore this email: your password stays the same.`,
    },
    changed: {
      subject: (practice: string) => `Your ${practice} portal password was changed`,
      body: (when: string) => `The password of your portal account was changed on ${when}. Every device that was signed in has been signed out.`,
      notYou: 'If this was not you, call the practice right away so they can secure your account.',
    },
    burned: {
      subject: (practice: string) => `A password reset link for your ${practice} portal was stopped`,
      body: 'Someone opened your password reset link and answered your security question wrongly five times, so we stopped that link.',
      next: 'Your password has not changed. If this was you, ask for a new link from the sign-in page. If not, call the practice.',
    },
    invitation: {
      subject: (practice: string) => `You're invited to the ${practice} portal`,
      intro: (practice: string) => `${practice} has invited you to its secure portal.`,
      action: 'Set up my account',
      validity: (days: number) => `This link works once and for ${count(LOCALE, days, { one: 'day', other: 'days' })}.`,
      username: (username: string) => `Your username: ${username}`,
    },
  },
  // Emails to practice staff about their own account, sent because an administrator acted (P4).
  staffEmails: {
    footer: (practice: string) =>
      `Sent by ${practice} through Gatehouse, its secure sign-in service. If you did not expect this email, tell your practice administrator.`,
    reset: {
      subject: (practice: string) => `Reset your ${practice} practice portal password`,
      intro: (administrator: string, practice: string) =>
        `${administrator}, an administrator at ${practice}, sent you a link to choose a new password for the practice portal.`,
      action: 'Choose a new password',
      validity: (hours: number) => `This link is valid for ${count(LOCALE, hours, { one: 'hour', other: 'hours' })} and works once.`,
      steps: 'You will answer your security question, then choose your new password. Every device signed in to your account is then signed out, and you sign in again with the new password.',
      username: (username: string) => `Your username: ${username}`,
    },
    emailChanged: {
      subject: (practice: string) => `The email address of your ${practice} account was changed`,
      body: (when: string, administrator: string, practice: string, masked: string) =>
        `On ${when}, ${administrator} changed the email address of your ${practice} practice portal account to ${masked}.`,
      next: 'From now on, emails about your account go to the new address, and any password reset link sent before no longer works.',
      notYou: 'If you did not expect this change, tell your practice administrator right away.',
    },
  },
  // Patient Administration (P5): what a guardian reads when the practice changes their portal access.
  portalAccess: {
    temporaryNotice: {
      subject: (practice: string) => `Your ${practice} portal password was reset`,
      intro: (practice: string) =>
        `${practice} has set a temporary password for your patient portal account. The practice gives it to you in person or on a printed sheet: it is never sent by email.`,
      username: (username: string) => `Your username: ${username}`,
      action: 'Sign in to the portal',
      next: 'When you sign in with the temporary password, you will be asked to choose your own. If you did not ask the practice for this, please call them.',
    },
    emailChanged: {
      subject: (practice: string) => `The login email of your ${practice} portal account was changed`,
      body: (masked: string) => `The practice changed the login email of your portal account to ${masked}. Messages about your account now go there.`,
      notYou: 'If you did not ask for this change, please call the practice right away.',
    },
  },
  // The printable credentials sheet (src/credentials-sheet.ts), handed to a guardian with a temporary password.
  credentialsSheet: {
    title: 'Your patient portal sign-in',
    intro: (practice: string) => `${practice} has set a temporary password for your patient portal account. Please keep this sheet private.`,
    guardian: 'Parent or guardian',
    patient: 'Patient',
    patients: 'Patients',
    portalAddress: 'Portal address',
    username: 'Username',
    password: 'Temporary password',
    validUntil: 'Valid until',
    expiry: (when: string) => `${when}. After that it no longer works: ask the practice for a new one.`,
    stepsHeading: 'Signing in for the first time',
    steps: (address: string) => [
      `Open ${address} in your web browser.`,
      'Enter your username and the temporary password exactly as printed above (the dashes are part of it).',
      'You will be asked to choose your own new password, and a security question if you have none yet. The temporary password then stops working.',
      'Keep your new password to yourself. Nobody at the practice will ever ask you for it.',
    ],
    emailHeading: 'Email notification',
    emailSent: (masked: string) => `A notification was sent to ${masked}. It contains your username and the sign-in link, never the password.`,
    emailNotSent: {
      no_email: 'No notification email was sent: there is no email address on file for this account.',
      not_requested: 'No notification email was sent: the practice chose to give you this sheet only.',
    },
    footer: (practice: string) => `Printed by ${practice}. If you did not expect this sheet, please call the practice.`,
    formatDate: (date: Date, timeZone: string) => clockFor(timeZone, LOCALE).dateTime(date),
  },
} as const;

// Practice settings (P7) as an administrator reads them: sections, hints, the words of its checks and notices. The
// settings' own names are SETTING_LABELS in practice.ts (the audit log shows them too).

export const settingsEn = {
  title: 'Practice settings',
  intro: (practice: string) => `These apply to everyone at ${practice}. Changes take effect at once and are recorded in the audit log.`,
  needsCorrecting: 'Some settings need correcting. Nothing was saved.',
  patientAdmin: 'Who can open Patient Administration',
  patientAdminHint: 'Administrators always can.',
  save: 'Save settings',
  saved: 'Practice settings saved.',
  unchanged: 'Nothing to save: the settings were already like this.',

  sections: {
    contact: 'Practice contact',
    time: 'Time',
    links: 'Links sent by email',
    passwords: 'Passwords',
    idle: 'Idle sign-out',
    twoFactor: 'Two-factor authentication',
    email: 'Email',
  },
  units: { hours: 'hours', days: 'days', minutes: 'minutes', characters: 'characters' },
  range: (min: number, max: number, unit: string, defaultValue: number) => `${min} to ${max} ${unit}; the default is ${defaultValue}.`,
  hints: {
    timeZone: (defaultZone: string) => `Every date and time that staff and families read — pages, emails, text messages, printed sheets — is shown in this zone. The default is ${defaultZone}.`,
    phoneNumber: 'The number families and staff call, for example (555) 010-0100. Every email from the practice gives it beside your name.',
    passwordMinLength: (min: number) => `Below ${min} only when staff must use two-factor authentication.`,
    staffMayTypeTemporaryPassword: 'Otherwise Gatehouse always generates it.',
    staffPasswordSetByAdmin: 'After entering their own password; the staff member must change it at their next sign-in.',
    rememberDeviceDays: '0 turns remembering off.',
    staffTwoFactorRequired: 'Staff who have not set it up, you included, must do so before anything else.',
    replyToEmail: 'Emails go out in the practice’s name; when families or staff reply, their answer goes to this address '
      + '(your front desk, for example). Leave it empty and replies go to the sending address, which nobody reads.',
  },
  roles: { staff: 'Front desk staff', nurse: 'Nurses', provider: 'Providers' },

  errors: {
    wholeNumber: (min: number, max: number) => `Enter a whole number from ${min} to ${max}.`,
    tooLong: (max: number) => `Use at most ${max} characters.`,
    email: 'Enter a full email address, such as frontdesk@yourpractice.com.',
    phone: 'Enter a phone number with its area code, such as (555) 010-0100.',
    timeZone: 'Choose a time zone from the list.',
    minLength: (min: number) => `Use at least ${min} characters, or require two-factor authentication for staff.`,
  },
};

// Words that parents, guardians and adult patients read, keyed by locale. English now; Spanish follows.
const en = {
  lang: 'en',
  signIn: {
    title: 'Sign in to your patient portal',
    identifierLabel: 'Username',
    identifierHint: 'Your email address or username',
    passwordLabel: 'Password',
    submit: 'Log In',
    forgot: 'Forgot your password?',
    invalid: 'Invalid username or password',
    locked: (minutes: number) =>
      `Too many attempts. For your safety, signing in is paused for ${minutes} minute${minutes === 1 ? '' : 's'}. You can also reset your password.`,
    throttled: 'Too many sign-in attempts from this network. Please wait a few minutes and try again.',
    deactivated: 'This portal account is not active. Please call your practice to restore access.',
    temporaryExpired: 'Your temporary password has expired. Please ask your practice for a new one.',
    missing: 'Enter your username or email and your password.',
    signedOut: 'You have signed out.',
  },
  home: {
    title: 'Home',
    greeting: (name: string) => `Welcome, ${name}`,
    patientsHeading: 'Your family members at this practice',
    noPatients: 'No patients are linked to your account yet. Please call the practice.',
    accountNumber: 'Account',
    dateOfBirth: 'Date of birth',
    settings: 'Settings',
  },
  layout: {
    skip: 'Skip to main content',
    signOut: 'Sign out',
    signedInAs: (name: string) => `Signed in as ${name}`,
    portalName: 'Patient Portal',
  },
} as const;

export type Messages = typeof en;
export type Locale = 'en';

const catalog: Record<Locale, Messages> = { en };

export function messagesFor(locale: string | undefined): Messages {
  return catalog[(locale ?? 'en') as Locale] ?? en;
}

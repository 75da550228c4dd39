// English: What every form and page shares: the security questions, the password rules, error pages and the layout.
import { count } from '../plural.ts';
import { EN_US as LOCALE } from '../locales.ts';

export const forms = {
  // Offered when a security question is chosen. The question is stored as the text shown, so an answer given in one
  // language keeps its question when the family later reads another (messages.ts maps it across catalogs).
  securityQuestions: [
    'What was the name of your first pet?',
    'In what city were you born?',
    'What is the name of the street you grew up on?',
    'What was the name of your first school?',
    'What is your oldest sibling\'s middle name?',
    'What was the make of your first car?',
    'What is the name of a favourite teacher?',
  ],
  // The password policy's words (core/password-policy.ts) and the strength meter under every new-password field.
  passwordPolicy: {
    // For the estimator's score 0–4.
    strengthLabels: ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'],
    strength: (label: string) => `Strength: ${label}.`,
    tooShort: (min: number) => `Use at least ${count(LOCALE, min, { one: 'character', other: 'characters' })}. A few unrelated words make a good password.`,
    tooLong: (max: number) => `Use at most ${count(LOCALE, max, { one: 'character', other: 'characters' })}.`,
    personal: 'Do not use your name, username, email address or the practice’s name in your password.',
    guessable: (warning: string) => `This password is too easy to guess.${warning ? ` ${warning}` : ''} Try a few unrelated words.`,
    good: 'Good. A longer password would be even stronger.',
    strong: 'Strong password.',
    // Why the estimator finds a password easy to guess, by its warning's name.
    warnings: {
      straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
      keyPattern: 'Short keyboard patterns are easy to guess.',
      simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
      extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
      sequences: 'Common character sequences like "abc" are easy to guess.',
      recentYears: 'Recent years are easy to guess.',
      dates: 'Dates are easy to guess.',
      topTen: 'This is a heavily used password.',
      topHundred: 'This is a frequently used password.',
      common: 'This is a commonly used password.',
      similarToCommon: 'This is similar to a commonly used password.',
      wordByItself: 'Single words are easy to guess.',
      namesByThemselves: 'Single names or surnames are easy to guess.',
      commonNames: 'Common names and surnames are easy to guess.',
      userInputs: 'Do not use personal details or words from this page.',
      pwned: 'This password was exposed in a data breach on the Internet.',
    } as Record<string, string>,
  },
  // The page shown when something goes wrong (src/http/errors.tsx), by HTTP status.
  errors: {
    titles: {
      400: 'That request could not be read',
      403: 'That request was refused',
      404: 'Page not found',
      405: 'That action is not available here',
      413: 'That was too much to send',
      415: 'That request could not be read',
      422: 'Please check what you entered',
      429: 'Too many requests',
      500: 'Something went wrong on our side',
      503: 'Gatehouse is not available just now',
    },
    messages: {
      400: 'Please go back, check the form and try again.',
      403: 'For your safety this request was refused. Please go back, reload the page and try again.',
      404: 'The address may be mistyped, or the page has moved. Check the link your practice gave you.',
      405: 'Please go back and use the buttons on the page.',
      413: 'The form sent more than we accept. Please go back and shorten what you typed.',
      415: 'Please go back and submit the form from the page.',
      422: 'Please go back and check the form.',
      429: 'Please wait a little and try again.',
      500: 'Nothing you entered was lost by mistake on your end. Please try again in a moment.',
      503: 'Please try again in a moment.',
    },
    code: (status: number) => `Error ${status}`,
    toStart: 'Go to the start page',
    toHome: (practice: string) => `Go to ${practice} home`,
    toSignIn: (practice: string) => `Go to the ${practice} sign-in page`,
  },
  layout: {
    skip: 'Skip to main content',
    menu: 'Menu',
    // Added by app.js to password fields: the toggle reads "Show" (its name "Show password"), and the warning.
    showPassword: 'Show password',
    capsLock: 'Caps Lock is on.',
    signOut: 'Sign out',
    signedInAs: (name: string) => `Signed in as ${name}`,
    portalName: 'Patient Portal',
  },
} as const;

import { PRACTICE_HOME } from '../practice-home.ts';
import { auditEn } from './audit.ts';
import { devMailEn, landingEn } from './landing.ts';
import { patientsEn } from './patients.ts';
import { settingsEn } from './settings.ts';
import { staffEn } from './staff.ts';

// The practice portal's catalog, one typed entry point in the manner of the guardians' (messages.ts): staff read
// English for now. A later language is a file per area written to the `PracticeMessages` type (the type checker
// then names any missing word) and one more entry in `catalog`.

export const practiceEn = {
  home: PRACTICE_HOME,
  staff: staffEn,
  patients: patientsEn,
  settings: settingsEn,
  audit: auditEn,
  landing: landingEn,
  devMail: devMailEn,
};

export type PracticeMessages = typeof practiceEn;
export type PracticeLocale = 'en';

const catalog: Record<PracticeLocale, PracticeMessages> = { en: practiceEn };

export function practiceMessagesFor(locale: string | undefined): PracticeMessages {
  return catalog[(locale ?? 'en') as PracticeLocale] ?? practiceEn;
}

/** The words the practice portal's pages and answers use today (its one language). */
export const practiceText: PracticeMessages = practiceMessagesFor('en');

// The BCP 47 tags each catalog formats its dates, times and plurals with (Intl).
export const EN_US = 'en-US';
// Spanish as written in the United States: month names in Spanish, and the time zone still named as the practice
// names it (EST), "30 nov 2026, 9:13 a.m. EST".
export const ES_US = 'es-US';

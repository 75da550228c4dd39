// Plurals by the language's own rules (CLDR, through Intl.PluralRules), never `n === 1 ? … : …`: Spanish, like
// English, has "one" and "other" for counts, but other languages the catalog may gain have more forms.

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();

/** The form of a word for the count n in the locale: plural('es-US', 2, { one: 'intento', other: 'intentos' }). */
export function plural(locale: string, n: number, forms: PluralForms): string {
  let rule = rules.get(locale);
  if (!rule) {
    rule = new Intl.PluralRules(locale);
    rules.set(locale, rule);
  }
  return forms[rule.select(n)] ?? forms.other;
}

/** The count and its word: count('en-US', 1, { one: 'device', other: 'devices' }) is "1 device". */
export function count(locale: string, n: number, forms: PluralForms): string {
  return `${n} ${plural(locale, n, forms)}`;
}

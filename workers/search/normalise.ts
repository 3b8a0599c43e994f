/**
 * How search text is folded, at index time and at query time alike
 * (docs/search.md): lower case, ё → е, and every apostrophe variant Uzbek
 * Latin is typed with (ʻ ʼ ’ ‘ ' ` ´ — oʻ, gʻ and the tutuq belgisi) dropped,
 * so "oʻyinchoq", "o'yinchoq", "o`yinchoq" and "oyinchoq" are one word.
 * Postgres folds the indexed text with the same rule in SQL
 * (shared/db/schema/catalog.ts, migration 0020): keep the two in step.
 */
export const APOSTROPHES = "'`ʻʼ’‘´";
const APOSTROPHE_RE = new RegExp(`[${APOSTROPHES}]`, 'gu');

export function foldSearchText(text: string): string {
  return text.normalize('NFC').toLowerCase().replaceAll('ё', 'е').replace(APOSTROPHE_RE, '');
}

/**
 * Uzbek Cyrillic (and Russian) letters → Uzbek Latin, the official 1995
 * alphabet's digraphs included (ш → sh, ч → ch, ў → oʻ, ғ → gʻ), so a query
 * typed in Cyrillic finds Latin-script Uzbek content. Applied to folded text:
 * the oʻ/gʻ marks are dropped as folding drops them.
 */
const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'j', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'x', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sh',
  ъ: '', ы: 'i', ь: '', э: 'e', ю: 'yu', я: 'ya', ў: 'o', қ: 'q', ғ: 'g', ҳ: 'h',
};

export const hasCyrillic = (text: string): boolean => /[\u0400-\u04ff]/u.test(text);

export function latinise(text: string): string {
  return [...foldSearchText(text)].map((ch) => CYRILLIC_TO_LATIN[ch] ?? ch).join('');
}

/**
 * The forms of a query to match: the folded query, and for a Cyrillic one
 * also its Latin transliteration (Uzbek typed in Cyrillic; a Russian word's
 * transliteration matches nothing it should not).
 */
export function queryForms(query: string): string[] {
  const folded = foldSearchText(query);
  return hasCyrillic(folded) ? [folded, latinise(folded)] : [folded];
}

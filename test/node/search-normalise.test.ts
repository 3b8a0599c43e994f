import { describe, expect, it } from 'vitest';
import { foldSearchText, latinise, queryForms } from '../../workers/search/normalise';

describe('search text folding', () => {
  it('makes every apostrophe variant of Uzbek Latin one form', () => {
    const forms = ['oʻyinchoq', "o'yinchoq", 'o`yinchoq', 'o’yinchoq', 'o‘yinchoq', 'oʼyinchoq', 'O´YINCHOQ', 'oyinchoq'];
    expect(new Set(forms.map(foldSearchText))).toEqual(new Set(['oyinchoq']));
    expect(foldSearchText("Gʻisht va ta'lim")).toBe('gisht va talim');
  });

  it('folds ё to е and keeps other Cyrillic as it is', () => {
    expect(foldSearchText('Ёлка ЧАЙНИК')).toBe('елка чайник');
  });

  it('transliterates Uzbek Cyrillic to Latin: ш → sh, ч → ch, ў → oʻ, ғ → gʻ, қ → q, ҳ → h', () => {
    expect(latinise('ўйинчоқ')).toBe('oyinchoq');
    expect(latinise('Чойнак')).toBe('choynak');
    expect(latinise('шаҳар ғишт')).toBe('shahar gisht');
  });

  it('a Cyrillic query is matched as typed and in Latin; a Latin one as typed', () => {
    expect(queryForms('чойнак')).toEqual(['чойнак', 'choynak']);
    expect(queryForms("o'yinchoq")).toEqual(['oyinchoq']);
  });
});

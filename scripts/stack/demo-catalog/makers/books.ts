/**
 * Product makers for the book categories: publishers, title patterns, authors and ISBNs.
 */
import { brand, type Maker, some } from '../kit';
import { int, logUniform, pick, type Rng } from '../random';

const PUBLISHERS = [
  brand('Penguin Random House', 'PRH', []),
  brand('HarperCollins', 'HPC', []),
  brand('Simon & Schuster', 'SNS', []),
  brand('Macmillan', 'MAC', []),
  brand('Hachette', 'HBG', []),
  brand('Scholastic', 'SCH', []),
];
const FIRST = ['Emma', 'James', 'Olivia', 'Liam', 'Sofia', 'Noah', 'Amara', 'Kenji', 'Lucia', 'Mateo', 'Hannah', 'Ravi', 'Chloe', 'Daniel', 'Ingrid', 'Samuel'];
const LAST = ['Hart', 'Okafor', 'Lindqvist', 'Moreno', 'Tanaka', 'Whitfield', 'Novak', 'Brennan', 'Castillo', 'Adeyemi', 'Sutherland', 'Kowalski', 'Delacroix', 'Park', 'Fairbanks'];
const author = (r: Rng) => `${pick(r, FIRST)} ${pick(r, LAST)}`;

/** A valid ISBN-13 (978 prefix) from the PRNG. */
function isbn(r: Rng): string {
  const digits = [9, 7, 8, ...Array.from({ length: 9 }, () => int(r, 0, 9))];
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 ? 3 : 1), 0);
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

function book(genre: string, titles: (r: Rng) => string, pages: [number, number], min: number, max: number, publishers = PUBLISHERS): Maker {
  return (r) => {
    const p = pick(r, publishers);
    const by = author(r);
    const title = titles(r);
    const count = int(r, pages[0], pages[1]);
    const formats = some(r, [{ label: 'Paperback' }, { label: 'Hardcover', factor: 1.6, grams: 250 }, { label: 'Large Print', factor: 1.3, grams: 150 }], 1, 2).sort((a, b) => (a.factor ?? 1) - (b.factor ?? 1));
    return {
      brand: p.name,
      brandCode: p.code,
      name: title,
      description: `${title} by ${by}. ${pick(r, BLURBS[genre] ?? BLURBS.fiction!)} ${count} pages.`,
      attributes: { author: by, genre, pages: count, language: 'English', isbn: isbn(r), published_year: int(r, 1995, 2026) },
      price: logUniform(r(), min, max),
      grams: Math.round(count * 1.1 + 60),
      axes: [{ name: 'format', values: formats }],
    };
  };
}

const BLURBS: Record<string, string[]> = {
  fiction: ['A gripping novel about love, loss and second chances.', 'An instant bestseller and a book-club favourite.', 'A sweeping story told across three generations.', 'A page-turning thriller with a twist you will not see coming.'],
  'non-fiction': ['A clear, practical guide backed by the latest research.', 'Essential reading for anyone who wants to understand the world today.', 'Part memoir, part manifesto, wholly original.'],
  children: ['A joyful read-aloud for bedtime.', 'Bright illustrations on every page.', 'Perfect for early readers.'],
  cookbook: ['Over 100 recipes with step-by-step photographs.', 'Weeknight dinners in 30 minutes or less.', 'Simple food for sharing.'],
};
const ADJ = ['Silent', 'Hidden', 'Last', 'Golden', 'Broken', 'Midnight', 'Forgotten', 'Winter', 'Burning', 'Paper', 'Glass', 'Salt'];
const NOUN = ['Garden', 'River', 'Daughter', 'Kingdom', 'House', 'Orchard', 'Lighthouse', 'Library', 'Storm', 'Summer', 'Island', 'Letters'];
const PLACE = ['Lisbon', 'the North', 'Harrow Street', 'the Valley', 'Kyoto', 'the Marsh', 'Alder Bay', 'the Coast'];
export const fiction = book('fiction', (r) => pick(r, [`The ${pick(r, ADJ)} ${pick(r, NOUN)}`, `The ${pick(r, NOUN)} of ${pick(r, PLACE)}`, `${pick(r, ['A Stranger', 'A House', 'A Garden', 'A Summer', 'An Island', 'An Orchard'])} in ${pick(r, PLACE)}`, `${pick(r, ADJ)} ${pick(r, NOUN)}: A Novel`]), [220, 520], 9, 32);
const TOPIC = ['Habits', 'Focus', 'Money', 'Sleep', 'Attention', 'Leadership', 'Memory', 'Negotiation', 'Climate', 'the Brain', 'Happiness', 'Time'];
export const nonFiction = book('non-fiction', (r) => pick(r, [`The Science of ${pick(r, TOPIC)}`, `${pick(r, ['Deep', 'Radical', 'Tiny', 'Quiet', 'Better'])} ${pick(r, TOPIC)}: ${pick(r, ['Rules for a Distracted World', 'How Small Changes Add Up', 'What the Experts Get Wrong', 'A New Way to Think'])}`, `A Short History of ${pick(r, TOPIC)}`]), [180, 460], 12, 38);
const ANIMAL = ['Fox', 'Bear', 'Owl', 'Dragon', 'Penguin', 'Rabbit', 'Tiger', 'Whale'];
export const childrens = book(
  'children',
  (r) => pick(r, [`${pick(r, ['Milo', 'Luna', 'Pip', 'Rosie', 'Otto', 'Zara'])} the ${pick(r, ANIMAL)}`, `The ${pick(r, ['Sleepy', 'Brave', 'Tiny', 'Hungry', 'Curious'])} ${pick(r, ANIMAL)}`, `Where Is ${pick(r, ['Little', 'Baby', 'Big'])} ${pick(r, ANIMAL)}?`]),
  [24, 64],
  6,
  18,
  PUBLISHERS.filter((p) => p.name !== 'Simon & Schuster'),
);
const CUISINE = ['Italian', 'Mediterranean', 'Japanese', 'Mexican', 'Vegan', 'French', 'Korean', 'Middle Eastern', 'Baking', 'Indian'];
export const cookbooks = book('cookbook', (r) => pick(r, [`${pick(r, CUISINE)} Kitchen: ${int(r, 75, 150)} Recipes for ${pick(r, ['Every Day', 'Family Dinners', 'Sharing', 'Busy Weeknights'])}`, `Simply ${pick(r, CUISINE)}`, `The ${pick(r, CUISINE)} Table`]), [180, 380], 18, 45);

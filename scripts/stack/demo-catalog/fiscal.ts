/**
 * The demo catalog's fiscal data (docs/vat-and-receipts.md): a 17-digit MXIK
 * (IKPU) code and a package code per leaf category, and its prices in UZS.
 *
 * The codes are plausible in shape (the classifier's 17 digits: a 5-digit
 * group from the goods' customs heading, the class within it, the position,
 * then zeros) but illustrative: a real seller looks its goods up in the
 * national classifier (tasnif.soliq.uz). Derived from the category alone, so
 * they draw nothing from the products' PRNG.
 */
import { demoCategories, demoDepartments } from './categories';

/** Per department (root category): the classifier group its goods fall in and the package code they are sold in. */
const DEPARTMENT_FISCAL: Record<string, { group: string; packageCode: string }> = {
  electronics: { group: '08517', packageCode: '1501002' },
  books: { group: '04901', packageCode: '1500001' },
  fashion: { group: '06109', packageCode: '1501001' },
  beauty: { group: '03304', packageCode: '1500002' },
  'home-kitchen': { group: '07323', packageCode: '1501003' },
  'sports-outdoors': { group: '09506', packageCode: '1501004' },
};
const FALLBACK = { group: '09999', packageCode: '1500000' };

/** MXIK and package code of each leaf category, by slug. */
export function demoFiscalCodes(): Map<string, { mxik: string; packageCode: string }> {
  const departments = demoDepartments();
  const leaves = demoCategories().filter((c) => c.make);
  const seen = new Map<string, number>();
  return new Map(
    leaves.map((leaf) => {
      const department = departments.get(leaf.slug) ?? leaf.slug;
      const { group, packageCode } = DEPARTMENT_FISCAL[department] ?? FALLBACK;
      const position = (seen.get(department) ?? 0) + 1;
      seen.set(department, position);
      const mxik = `${group}${String(position).padStart(3, '0')}001000000`;
      return [leaf.slug, { mxik, packageCode }];
    }),
  );
}

/** So'm per US dollar for turning the makers' dollar prices into UZS (an illustrative rate, fixed so the catalog is deterministic). */
export const UZS_PER_USD = 12_700;

/**
 * A dollar price as a UZS shelf price in tiyin, VAT included: a round figure
 * in so'm (to 500 so'm under 100 000, to 1 000 under 1 000 000, to 10 000
 * above), times 100.
 */
export function retailUzs(dollars: number): number {
  const som = dollars * UZS_PER_USD;
  const step = som >= 1_000_000 ? 10_000 : som >= 100_000 ? 1_000 : 500;
  return Math.max(step, Math.round(som / step) * step) * 100;
}

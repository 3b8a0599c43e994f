/**
 * The demo category tree (the same for every seed) and its flattened form with deterministic ids.
 */
import type { Maker } from './kit';
import { fragrance, haircare, makeup, skincare } from './makers/beauty';
import { childrens, cookbooks, fiction, nonFiction } from './makers/books';
import { camera, headphones, laptop, monitor, smartphone, smartwatch, speaker, tablet } from './makers/electronics';
import { bags, mensClothing, runningShoes, sneakers, watches, womensClothing } from './makers/fashion';
import { bedding, blender, coffee, cookware, furniture } from './makers/home';
import { backpack, cycling, fitness, teamSports, tent } from './makers/sports';
import { hashString, mulberry32, uuidV7At } from './random';
import { CATALOG_EPOCH_START } from './timeline';

interface CategoryDef {
  slug: string;
  name: string;
  description: string;
  children?: CategoryDef[];
  /** Leaves only: how products of this category are made, and how common they are. */
  make?: Maker;
  weight?: number;
}

const leaf = (slug: string, name: string, description: string, make: Maker, weight = 1): CategoryDef => ({ slug, name, description, make, weight });
const node = (slug: string, name: string, description: string, children: CategoryDef[]): CategoryDef => ({ slug, name, description, children });

/** The demo category tree: 6 roots, 2–5 children each, some with a third level. Products sit in leaves. */
export const DEMO_CATEGORY_TREE: CategoryDef[] = [
  node('electronics', 'Electronics', 'Phones, computers, audio and more.', [
    node('phones-tablets', 'Phones & Tablets', 'Smartphones and tablets.', [
      leaf('smartphones', 'Smartphones', 'Unlocked 5G phones from every major brand.', smartphone, 2),
      leaf('tablets', 'Tablets', 'Tablets for work and play.', tablet),
    ]),
    node('computers', 'Computers', 'Laptops and monitors.', [
      leaf('laptops', 'Laptops', 'Ultrabooks, gaming and business laptops.', laptop, 1.5),
      leaf('monitors', 'Monitors', 'Office, creative and gaming monitors.', monitor),
    ]),
    node('audio', 'Audio', 'Headphones and speakers.', [
      leaf('headphones', 'Headphones', 'Over-ear headphones and wireless earbuds.', headphones, 1.5),
      leaf('speakers', 'Speakers', 'Portable and smart speakers.', speaker),
    ]),
    leaf('cameras', 'Cameras', 'Mirrorless cameras and kits.', camera, 0.7),
    leaf('wearables', 'Wearables', 'Smartwatches and fitness trackers.', smartwatch),
  ]),
  node('fashion', 'Fashion', 'Clothing, shoes and accessories.', [
    leaf('mens-clothing', "Men's Clothing", 'Everyday essentials and outerwear for men.', mensClothing, 1.5),
    leaf('womens-clothing', "Women's Clothing", 'Dresses, denim, knitwear and more.', womensClothing, 1.5),
    node('shoes', 'Shoes', 'Running shoes and sneakers.', [
      leaf('running-shoes', 'Running Shoes', 'Road and trail running shoes.', runningShoes),
      leaf('sneakers', 'Sneakers', 'Everyday classics.', sneakers),
    ]),
    leaf('bags-accessories', 'Bags & Accessories', 'Backpacks, totes and sunglasses.', bags),
    leaf('watches', 'Watches', 'Automatic, solar and quartz watches.', watches, 0.7),
  ]),
  node('home-kitchen', 'Home & Kitchen', 'Appliances, cookware, furniture and bedding.', [
    node('kitchen-appliances', 'Kitchen Appliances', 'Small appliances for the kitchen.', [
      leaf('coffee-machines', 'Coffee Machines', 'Espresso, bean-to-cup and pod machines.', coffee),
      leaf('blenders', 'Blenders', 'Countertop and personal blenders.', blender, 0.7),
    ]),
    leaf('cookware', 'Cookware', 'Pans, pots and Dutch ovens.', cookware),
    leaf('furniture', 'Furniture', 'Desks, chairs, storage and sofas.', furniture),
    leaf('bedding', 'Bedding', 'Sheets, duvets and pillows.', bedding),
  ]),
  node('beauty', 'Beauty', 'Skincare, makeup, fragrance and hair care.', [
    leaf('skincare', 'Skincare', 'Cleansers, moisturisers, serums and sunscreen.', skincare, 1.2),
    leaf('makeup', 'Makeup', 'Foundation, lipstick, mascara and more.', makeup),
    leaf('fragrance', 'Fragrance', 'Perfume and cologne.', fragrance, 0.7),
    leaf('hair-care', 'Hair Care', 'Shampoo, treatments and styling tools.', haircare, 0.8),
  ]),
  node('sports-outdoors', 'Sports & Outdoors', 'Fitness, cycling, camping and team sports.', [
    leaf('fitness', 'Fitness', 'Home gym equipment and accessories.', fitness),
    leaf('cycling', 'Cycling', 'Bikes, helmets and bike computers.', cycling, 0.8),
    node('camping-hiking', 'Camping & Hiking', 'Tents and backpacks.', [
      leaf('tents', 'Tents', 'Backpacking and family tents.', tent, 0.6),
      leaf('backpacks', 'Backpacks', 'Hiking backpacks and daypacks.', backpack, 0.7),
    ]),
    leaf('team-sports', 'Team Sports', 'Balls and gloves.', teamSports, 0.7),
  ]),
  node('books', 'Books', 'Fiction, non-fiction, children’s books and cookbooks.', [
    leaf('fiction', 'Fiction', 'Novels and short stories.', fiction, 1.2),
    leaf('non-fiction', 'Non-fiction', 'Science, business, history and self-help.', nonFiction),
    leaf('childrens-books', "Children's Books", 'Picture books and early readers.', childrens, 0.7),
    leaf('cookbooks', 'Cookbooks', 'Recipes from around the world.', cookbooks, 0.6),
  ]),
];

interface FlatCategory {
  id: string;
  parentSlug: string | null;
  slug: string;
  name: string;
  description: string;
  position: number;
  depth: number;
  createdAt: Date;
  make?: Maker;
  weight: number;
}

/** The tree, parents before children, with deterministic ids (the same for every seed). */
export function demoCategories(): FlatCategory[] {
  const flat: FlatCategory[] = [];
  const walk = (defs: CategoryDef[], parent: string | null, depth: number) => {
    defs.forEach((def, position) => {
      const ms = CATALOG_EPOCH_START - 24 * 3600 * 1000 + flat.length * 1000;
      flat.push({
        id: uuidV7At(ms, mulberry32(hashString(`category:${def.slug}`))),
        parentSlug: parent,
        slug: def.slug,
        name: def.name,
        description: def.description,
        position,
        depth,
        createdAt: new Date(ms),
        ...(def.make ? { make: def.make } : {}),
        weight: def.weight ?? 1,
      });
      if (def.children) walk(def.children, def.slug, depth + 1);
    });
  };
  walk(DEMO_CATEGORY_TREE, null, 0);
  return flat;
}

/** Each demo category's department: the slug of the root above it (a root's is its own). */
export function demoDepartments(): Map<string, string> {
  const parents = new Map(demoCategories().map((c) => [c.slug, c.parentSlug]));
  const rootOf = (slug: string): string => {
    const parent = parents.get(slug);
    return parent ? rootOf(parent) : slug;
  };
  return new Map([...parents.keys()].map((slug) => [slug, rootOf(slug)]));
}

/**
 * The demo catalog in uz (Latin; the default locale, so the catalog's own columns), ru and en
 * (translations; docs/catalog.md). Category names are translated in full; products keep their
 * brand-and-model name in every locale (as shops do) and get their description and attribute
 * labels in each language: the Uzbek and Russian ones say what and whose it is, the English one
 * is the generated text.
 */
import type { ContentTranslations } from '../../../shared/db/schema';

type Names = { uz: string; ru: string };

/** Each demo category's name in Uzbek and Russian (the English is the tree's own). */
export const CATEGORY_NAMES: Record<string, Names> = {
  electronics: { uz: 'Elektronika', ru: 'Электроника' },
  'phones-tablets': { uz: 'Telefonlar va planshetlar', ru: 'Телефоны и планшеты' },
  smartphones: { uz: 'Smartfonlar', ru: 'Смартфоны' },
  tablets: { uz: 'Planshetlar', ru: 'Планшеты' },
  computers: { uz: 'Kompyuterlar', ru: 'Компьютеры' },
  laptops: { uz: 'Noutbuklar', ru: 'Ноутбуки' },
  monitors: { uz: 'Monitorlar', ru: 'Мониторы' },
  audio: { uz: 'Audio', ru: 'Аудио' },
  headphones: { uz: 'Quloqchinlar', ru: 'Наушники' },
  speakers: { uz: 'Karnaylar', ru: 'Колонки' },
  cameras: { uz: 'Fotoapparatlar', ru: 'Фотоаппараты' },
  wearables: { uz: 'Aqlli soatlar va trekerlar', ru: 'Умные часы и трекеры' },
  fashion: { uz: 'Kiyim-kechak', ru: 'Одежда и обувь' },
  'mens-clothing': { uz: 'Erkaklar kiyimi', ru: 'Мужская одежда' },
  'womens-clothing': { uz: 'Ayollar kiyimi', ru: 'Женская одежда' },
  shoes: { uz: 'Poyabzal', ru: 'Обувь' },
  'running-shoes': { uz: 'Yugurish krossovkalari', ru: 'Беговые кроссовки' },
  sneakers: { uz: 'Krossovkalar', ru: 'Кеды и кроссовки' },
  'bags-accessories': { uz: 'Sumkalar va aksessuarlar', ru: 'Сумки и аксессуары' },
  watches: { uz: 'Qoʻl soatlari', ru: 'Наручные часы' },
  'home-kitchen': { uz: 'Uy va oshxona', ru: 'Дом и кухня' },
  'kitchen-appliances': { uz: 'Oshxona texnikasi', ru: 'Кухонная техника' },
  'coffee-machines': { uz: 'Qahva mashinalari', ru: 'Кофемашины' },
  blenders: { uz: 'Blenderlar', ru: 'Блендеры' },
  cookware: { uz: 'Oshxona idishlari', ru: 'Посуда' },
  furniture: { uz: 'Mebel', ru: 'Мебель' },
  bedding: { uz: 'Choyshablar', ru: 'Постельное бельё' },
  beauty: { uz: 'Goʻzallik', ru: 'Красота' },
  skincare: { uz: 'Teri parvarishi', ru: 'Уход за кожей' },
  makeup: { uz: 'Pardoz', ru: 'Макияж' },
  fragrance: { uz: 'Atirlar', ru: 'Парфюмерия' },
  'hair-care': { uz: 'Soch parvarishi', ru: 'Уход за волосами' },
  'sports-outdoors': { uz: 'Sport va sayohat', ru: 'Спорт и отдых' },
  fitness: { uz: 'Fitnes', ru: 'Фитнес' },
  cycling: { uz: 'Velosport', ru: 'Велоспорт' },
  'camping-hiking': { uz: 'Kemping va piyoda sayohat', ru: 'Кемпинг и походы' },
  tents: { uz: 'Chodirlar', ru: 'Палатки' },
  backpacks: { uz: 'Ryukzaklar', ru: 'Рюкзаки' },
  'team-sports': { uz: 'Jamoaviy sport', ru: 'Командные виды спорта' },
  books: { uz: 'Kitoblar', ru: 'Книги' },
  fiction: { uz: 'Badiiy adabiyot', ru: 'Художественная литература' },
  'non-fiction': { uz: 'Ilmiy-ommabop', ru: 'Научно-популярное' },
  'childrens-books': { uz: 'Bolalar kitoblari', ru: 'Детские книги' },
  cookbooks: { uz: 'Pazandalik kitoblari', ru: 'Кулинарные книги' },
};

/** Labels of the attribute keys the demo uses most, per locale (other keys are their own label). */
const ATTRIBUTE_LABELS: Record<'uz' | 'ru' | 'en', Record<string, string>> = {
  uz: { brand: 'Brend', colour: 'Rang', material: 'Material', storage_gb: 'Xotira, GB', screen_in: 'Ekran, dyuym', size: 'Oʻlcham', gender: 'Kim uchun' },
  ru: { brand: 'Бренд', colour: 'Цвет', material: 'Материал', storage_gb: 'Память, ГБ', screen_in: 'Экран, дюймы', size: 'Размер', gender: 'Для кого' },
  en: { brand: 'Brand', colour: 'Colour', material: 'Material', storage_gb: 'Storage, GB', screen_in: 'Screen, in', size: 'Size', gender: 'For' },
};

const namesOf = (slug: string): Names => {
  const names = CATEGORY_NAMES[slug];
  if (!names) throw new Error(`demo category ${slug} has no Uzbek and Russian name`);
  return names;
};

/** A category's texts: Uzbek in the columns, Russian and English (the tree's own) as translations. */
export function categoryTexts(slug: string, english: { name: string; description: string }) {
  const { uz, ru } = namesOf(slug);
  const translations: ContentTranslations = {
    ru: { name: ru, description: `${ru}: широкий выбор с доставкой по Узбекистану.` },
    en: english,
  };
  return { name: uz, description: `${uz}: Oʻzbekiston boʻylab yetkazib beriladigan keng tanlov.`, translations };
}

/** A product's texts: its name in every locale, the description in Uzbek (the column) and Russian, the generated English, and attribute labels. */
export function productTexts(categorySlug: string, brand: string, english: { name: string; description: string }) {
  const { uz, ru } = namesOf(categorySlug);
  const translations: ContentTranslations = {
    uz: { attributeLabels: ATTRIBUTE_LABELS.uz },
    ru: { description: `${brand}. Раздел «${ru}».`, attributeLabels: ATTRIBUTE_LABELS.ru },
    en: { description: english.description, attributeLabels: ATTRIBUTE_LABELS.en },
  };
  return { name: english.name, description: `${brand}. «${uz}» boʻlimi.`, translations };
}

/**
 * Product makers for the fashion categories: brands, lines and how a product of each is drawn.
 */
import { type Brand, brand, closer, colourAxis, COLOURS_FASHION, colourValues, linePrice, type Maker, some, values } from '../kit';
import { int, pick } from '../random';

const SIZES_ADULT = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];

function apparel(gender: 'Men' | 'Women', brands: Brand[], items: readonly { item: string; material: string; min: number; max: number; grams: number }[]): Maker {
  return (r) => {
    const b = pick(r, brands);
    const it = pick(r, items);
    const adjective = pick(r, ['', '', 'Essential ', 'Relaxed-Fit ', 'Organic Cotton ', 'Classic ', 'Premium ']);
    const name = `${b.name} ${gender === 'Men' ? "Men's" : "Women's"} ${adjective}${it.item}`;
    const sizes = SIZES_ADULT.slice(gender === 'Men' ? 1 : 0, gender === 'Men' ? 6 : 5);
    const colour = some(r, COLOURS_FASHION, 1, 2);
    return {
      brand: b.name,
      brandCode: b.code,
      name,
      description: `${adjective.trim() || 'Timeless'} ${it.item.toLowerCase()} in ${it.material.toLowerCase()}. ${pick(r, ['Machine washable.', 'True to size.', 'Made to last, season after season.', 'Pairs with everything.'])} ${closer(r)}`,
      attributes: { gender: gender === 'Men' ? 'men' : 'women', material: it.material },
      price: linePrice(r, b, it.item, it.min, it.max),
      grams: Math.round(it.grams * (0.9 + r() * 0.2)),
      axes: [{ name: 'size', values: values(some(r, sizes, 1, 3).sort((x, y) => sizes.indexOf(x) - sizes.indexOf(y))) }, colourValues(colour)],
    };
  };
}

const mensBrands = [
  brand("Levi's", 'LEV', []),
  brand('Ralph Lauren', 'RLA', []),
  brand('Tommy Hilfiger', 'TOM', []),
  brand('Uniqlo', 'UNQ', []),
  brand('Patagonia', 'PAT', []),
  brand('The North Face', 'TNF', []),
  brand('Carhartt', 'CAR', []),
];
export const mensClothing = apparel('Men', mensBrands, [
  { item: 'Slim Fit Jeans', material: 'Denim', min: 39, max: 129, grams: 650 },
  { item: 'Oxford Shirt', material: 'Cotton', min: 29, max: 149, grams: 280 },
  { item: 'Crew Neck T-Shirt', material: 'Cotton', min: 12, max: 49, grams: 180 },
  { item: 'Merino Wool Sweater', material: 'Merino wool', min: 59, max: 199, grams: 420 },
  { item: 'Chino Trousers', material: 'Cotton twill', min: 39, max: 119, grams: 520 },
  { item: 'Hooded Sweatshirt', material: 'Cotton fleece', min: 35, max: 119, grams: 600 },
  { item: 'Puffer Jacket', material: 'Recycled nylon', min: 99, max: 349, grams: 750 },
  { item: 'Polo Shirt', material: 'Cotton piqué', min: 25, max: 119, grams: 250 },
  { item: 'Fleece Jacket', material: 'Polyester fleece', min: 49, max: 179, grams: 480 },
]);

const womensBrands = [
  brand('Zara', 'ZAR', []),
  brand('Mango', 'MNG', []),
  brand("Levi's", 'LEV', []),
  brand('Uniqlo', 'UNQ', []),
  brand('H&M', 'HNM', []),
  brand('Reformation', 'REF', []),
  brand('Lululemon', 'LUL', []),
];
export const womensClothing = apparel('Women', womensBrands, [
  { item: 'High-Rise Skinny Jeans', material: 'Stretch denim', min: 39, max: 139, grams: 560 },
  { item: 'Wrap Midi Dress', material: 'Viscose', min: 45, max: 249, grams: 350 },
  { item: 'Linen Blouse', material: 'Linen', min: 29, max: 129, grams: 200 },
  { item: 'Cashmere Cardigan', material: 'Cashmere', min: 99, max: 349, grams: 380 },
  { item: 'Wide-Leg Trousers', material: 'Wool blend', min: 49, max: 169, grams: 450 },
  { item: 'Ribbed Tank Top', material: 'Cotton', min: 12, max: 49, grams: 140 },
  { item: 'Trench Coat', material: 'Cotton gabardine', min: 119, max: 399, grams: 1100 },
  { item: 'Pleated Skirt', material: 'Polyester', min: 35, max: 119, grams: 300 },
  { item: 'High-Waisted Leggings', material: 'Nylon elastane', min: 29, max: 129, grams: 220 },
]);

const SHOE_SIZES = ['6', '6.5', '7', '7.5', '8', '8.5', '9', '9.5', '10', '10.5', '11', '12', '13'];

function shoes(kind: 'Running Shoes' | 'Sneakers', brands: Brand[], min: number, max: number): Maker {
  return (r) => {
    const b = pick(r, brands);
    const line = pick(r, b.lines);
    const gender = pick(r, ["Men's", "Women's"] as const);
    const sizes = some(r, SHOE_SIZES, 1, 3).sort((x, y) => Number(x) - Number(y));
    const colour = some(r, ['Black/White', 'White', 'Grey', 'Navy', 'Triple Black', 'Volt', 'Sail/Gum', 'Blue/Orange'], 1, 2);
    const running = kind === 'Running Shoes';
    const material = running ? 'Engineered mesh' : pick(r, ['Leather', 'Suede', 'Canvas']);
    return {
      brand: b.name,
      brandCode: b.code,
      name: `${b.name} ${line} ${gender} ${kind}`,
      description: running
        ? `A ${pick(r, ['cushioned', 'responsive', 'stable', 'lightweight'])} ${pick(r, ['road', 'road', 'trail'])} running shoe with a ${pick(r, [4, 6, 8, 10, 12])} mm drop and a breathable ${material.toLowerCase()} upper. ${closer(r)}`
        : `The ${line} in ${material.toLowerCase()}: an everyday classic with a rubber cupsole. ${closer(r)}`,
      attributes: { gender: gender === "Men's" ? 'men' : 'women', material, ...(running ? { terrain: pick(r, ['road', 'trail']) } : {}) },
      price: linePrice(r, b, line, min, max),
      grams: int(r, 480, 900),
      axes: [{ name: 'size', values: values(sizes.map((s) => `US ${s}`)) }, colourValues(colour)],
    };
  };
}

export const runningShoes = shoes(
  'Running Shoes',
  [
    brand('Nike', 'NKE', ['Pegasus 41', 'Vomero 17', 'Invincible 3', 'Structure 25']),
    brand('Adidas', 'ADI', ['Ultraboost Light', 'Adizero Boston 12', 'Supernova Rise']),
    brand('ASICS', 'ASC', ['Gel-Kayano 31', 'Gel-Nimbus 26', 'Novablast 4']),
    brand('Brooks', 'BRK', ['Ghost 16', 'Glycerin 21', 'Adrenaline GTS 24']),
    brand('Hoka', 'HOK', ['Clifton 9', 'Bondi 8', 'Speedgoat 6']),
    brand('New Balance', 'NBL', ['Fresh Foam X 1080v14', 'FuelCell Rebel v4']),
    brand('Saucony', 'SAU', ['Endorphin Speed 4', 'Ride 17']),
  ],
  79,
  249,
);
export const sneakers = shoes(
  'Sneakers',
  [
    brand('Nike', 'NKE', ["Air Force 1 '07", 'Air Max 90', 'Dunk Low']),
    brand('Adidas', 'ADI', ['Samba OG', 'Stan Smith', 'Gazelle']),
    brand('New Balance', 'NBL', ['550', '574', '990v6']),
    brand('Converse', 'CNV', ['Chuck Taylor All Star', 'Chuck 70']),
    brand('Vans', 'VAN', ['Old Skool', 'Sk8-Hi', 'Authentic']),
    brand('Puma', 'PUM', ['Suede Classic', 'Palermo']),
  ],
  55,
  199,
);

const bagBrands = [
  brand('Herschel', 'HER', ['Little America Backpack', 'Novel Duffle', 'Heritage Backpack']),
  brand('Fjällräven', 'FJR', ['Kånken Backpack', 'Kånken Laptop 15"', 'Ulvö Hip Pack']),
  brand('Samsonite', 'SMS', ['Freeform Carry-On Spinner', 'Classic Leather Briefcase']),
  brand('Michael Kors', 'MKO', ['Jet Set Tote', 'Jet Set Crossbody']),
  brand('Coach', 'COA', ['Tabby Shoulder Bag', 'Willow Tote']),
  brand('Ray-Ban', 'RBN', ['Aviator Classic Sunglasses', 'Wayfarer Sunglasses']),
];
export const bags: Maker = (r) => {
  const b = pick(r, bagBrands);
  const line = pick(r, b.lines);
  const material = /Sunglasses/.test(line) ? 'Metal and glass' : /Leather|Tote|Shoulder|Crossbody/.test(line) ? 'Leather' : pick(r, ['Recycled polyester', 'Vinylon F', 'Canvas']);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${material} ${/Sunglasses/.test(line) ? 'sunglasses with polarised lenses and a case' : 'bag with a padded laptop sleeve and water-resistant finish'}. ${closer(r)}`,
    attributes: { material },
    price: linePrice(r, b, line, 35, 449),
    grams: /Sunglasses/.test(line) ? int(r, 25, 50) : int(r, 300, 3200),
    axes: [colourAxis(r, ['Black', 'Navy', 'Ox Red', 'Frost Green', 'Tan', 'Gold/Green'], 1, 3)],
  };
};

const classicWatchBrands = [
  brand('Casio', 'CAS', ['G-Shock GA-2100', 'G-Shock DW-5600', 'F-91W', 'Edifice EFR-S108']),
  brand('Seiko', 'SEI', ['5 Sports SRPD', 'Presage Cocktail Time', 'Prospex Turtle']),
  brand('Citizen', 'CIT', ['Eco-Drive Promaster Diver', 'Tsuyosa']),
  brand('Tissot', 'TIS', ['PRX Powermatic 80', 'Le Locle']),
  brand('Timex', 'TMX', ['Marlin', 'Weekender', 'Expedition Scout']),
  brand('Orient', 'ORI', ['Bambino', 'Kamasu']),
];
export const watches: Maker = (r) => {
  const b = pick(r, classicWatchBrands);
  const line = pick(r, b.lines);
  const caseMm = pick(r, [36, 38, 40, 42, 44]);
  const movement = /Powermatic|Presage|5 Sports|Turtle|Bambino|Kamasu|Le Locle|Tsuyosa/.test(line) ? 'Automatic' : /Eco-Drive/.test(line) ? 'Solar' : 'Quartz';
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${movement} Watch`,
    description: `${movement} movement, ${caseMm} mm case and ${pick(r, [30, 50, 100, 200])} m water resistance. ${closer(r)}`,
    attributes: { movement, case_mm: caseMm, material: pick(r, ['Stainless steel', 'Resin', 'Titanium']) },
    price: linePrice(r, b, line, 19, 899),
    grams: int(r, 40, 180),
    axes: [{ name: 'strap', values: some(r, [{ label: 'Steel Bracelet', factor: 1.1 }, { label: 'Leather Strap' }, { label: 'Rubber Strap' }], 1, 2) }],
  };
};

/**
 * Product makers for the home & kitchen categories: brands, lines and how a product of each is drawn.
 */
import { brand, closer, colourAxis, COLOURS_HOME, linePrice, type Maker, some } from '../kit';
import { chance, int, pick } from '../random';

const coffeeBrands = [
  brand('Breville', 'BRV', ['Barista Express', 'Bambino Plus', 'Oracle Touch', 'Barista Pro']),
  brand("De'Longhi", 'DLG', ['Magnifica Evo', 'Dedica Arte', 'La Specialista Arte']),
  brand('Nespresso', 'NES', ['Vertuo Next', 'Vertuo Pop', 'Essenza Mini']),
  brand('Keurig', 'KEU', ['K-Elite', 'K-Mini', 'K-Supreme']),
  brand('Philips', 'PHI', ['3200 LatteGo', '5400 LatteGo']),
  brand('Jura', 'JUR', ['E8', 'ENA 8']),
];
export const coffee: Maker = (r) => {
  const b = pick(r, coffeeBrands);
  const line = pick(r, b.lines);
  const type = ['Nespresso', 'Keurig'].includes(b.name) ? 'Coffee Pod Machine' : /LatteGo|Magnifica|Jura|E8|ENA|Oracle/.test(`${b.name} ${line}`) ? 'Bean-to-Cup Espresso Machine' : 'Espresso Machine';
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${type}`,
    description: `${type.toLowerCase().replace(/^./, (c) => c.toUpperCase())} with ${pick(r, ['a steam wand for latte art', 'one-touch cappuccino', 'a built-in grinder', 'a 40-second heat-up'])}. ${closer(r)}`,
    attributes: { type: type.toLowerCase(), wattage: pick(r, [1260, 1350, 1450, 1600]), capacity_ml: pick(r, [600, 1000, 1500, 1800, 2000]) },
    price: linePrice(r, b, line, 79, 2499),
    grams: int(r, 2800, 11000),
    axes: [colourAxis(r, ['Brushed Stainless Steel', 'Black Truffle', 'White', 'Matte Black', 'Red'], 1, 3)],
  };
};

const blenderBrands = [
  brand('Vitamix', 'VTX', ['5200', 'A3500 Ascent', 'E310 Explorian']),
  brand('Ninja', 'NIN', ['Professional Plus', 'Nutri-Blender Pro', 'Foodi Power Blender']),
  brand('NutriBullet', 'NUT', ['Pro 900', 'Blender Combo', 'Ultra']),
  brand('KitchenAid', 'KAD', ['K400', 'K150']),
  brand('Breville', 'BRV', ['Super Q', 'Fresh & Furious']),
];
export const blender: Maker = (r) => {
  const b = pick(r, blenderBrands);
  const line = pick(r, b.lines);
  const watts = pick(r, [600, 900, 1000, 1200, 1500]);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${pick(r, ['Blender', 'Countertop Blender', 'Personal Blender'])}, ${watts} W`,
    description: `${watts}-watt motor, ${pick(r, ['variable speed control', 'auto-iQ programs', 'a tamper for thick blends'])} and a BPA-free jar. ${closer(r)}`,
    attributes: { wattage: watts, capacity_ml: pick(r, [700, 1200, 1400, 2000]), dishwasher_safe: chance(r, 0.8) },
    price: linePrice(r, b, line, 49, 649),
    grams: int(r, 2000, 5500),
    axes: [colourAxis(r, COLOURS_HOME, 1, 3)],
  };
};

const cookwareBrands = [
  brand('Le Creuset', 'LCR', ['Signature Round Dutch Oven', 'Signature Skillet', 'Braiser']),
  brand('Lodge', 'LDG', ['Cast Iron Skillet', 'Enameled Dutch Oven', 'Cast Iron Griddle']),
  brand('All-Clad', 'ACL', ['D3 Stainless Fry Pan', 'D3 10-Piece Cookware Set', 'HA1 Nonstick Pan Set']),
  brand('Staub', 'STB', ['Round Cocotte', 'Cast Iron Fry Pan']),
  brand('Made In', 'MDI', ['Carbon Steel Frying Pan', 'Stainless Clad Saucepan']),
  brand('GreenPan', 'GRP', ['Valencia Pro Frying Pan', 'Padova Ceramic Set']),
];
export const cookware: Maker = (r) => {
  const b = pick(r, cookwareBrands);
  const line = pick(r, b.lines);
  const material = /Cast Iron|Dutch Oven|Cocotte|Braiser|Skillet|Griddle/.test(line) ? 'Cast iron' : /Carbon/.test(line) ? 'Carbon steel' : /Nonstick|Ceramic|Valencia/.test(line) ? 'Nonstick aluminium' : 'Stainless steel';
  const set = /Set/.test(line);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${material} ${set ? 'cookware set' : 'cookware'} that works on every hob, induction included, and in the oven. ${closer(r)}`,
    attributes: { material, induction: true, dishwasher_safe: material !== 'Cast iron' && material !== 'Carbon steel' },
    price: linePrice(r, b, line, 24, 649),
    grams: int(r, 900, 6500),
    axes: set ? [] : [{ name: 'size', values: some(r, [{ label: '20 cm' }, { label: '24 cm', factor: 1.15, grams: 300 }, { label: '28 cm', factor: 1.3, grams: 700 }], 1, 3) }],
  };
};

const furnitureBrands = [
  brand('IKEA', 'IKE', ['KALLAX Shelf Unit', 'POÄNG Armchair', 'MALM Bed Frame', 'BILLY Bookcase', 'LACK Side Table']),
  brand('Herman Miller', 'HMI', ['Aeron Office Chair', 'Sayl Office Chair']),
  brand('Steelcase', 'STC', ['Series 1 Office Chair', 'Gesture Office Chair']),
  brand('FlexiSpot', 'FLX', ['E7 Standing Desk', 'E5 Standing Desk']),
  brand('West Elm', 'WEL', ['Mid-Century Desk', 'Harmony Sofa', 'Mid-Century Nightstand']),
];
export const furniture: Maker = (r) => {
  const b = pick(r, furnitureBrands);
  const line = pick(r, b.lines);
  const material = /Chair/.test(line) ? 'Mesh and aluminium' : /Sofa|Armchair/.test(line) ? 'Fabric' : pick(r, ['Oak veneer', 'Walnut', 'Particleboard', 'Steel']);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${material} construction${chance(r, 0.6) ? ', easy to assemble' : ''}. ${pick(r, ['Designed for small spaces.', 'Built for years of daily use.', 'Clean lines that suit any room.'])} ${closer(r)}`,
    attributes: { material, assembly_required: !/Sofa/.test(line) },
    price: linePrice(r, b, line, 29, 1899),
    grams: int(r, 4000, 45000),
    axes: [colourAxis(r, ['White', 'Black-Brown', 'Oak', 'Walnut', 'Graphite', 'Light Grey'], 1, 3)],
  };
};

const beddingBrands = [
  brand('Brooklinen', 'BRL', ['Luxe Sateen Sheet Set', 'Classic Percale Duvet Cover', 'Down Comforter']),
  brand('Parachute', 'PAR', ['Linen Duvet Cover', 'Percale Sheet Set']),
  brand('Casper', 'CSP', ['Original Pillow', 'Humidity Fighting Duvet']),
  brand('Tempur-Pedic', 'TMP', ['TEMPUR-Cloud Pillow', 'TEMPUR-Adapt Topper']),
  brand('Bedsure', 'BDS', ['Fleece Throw Blanket', 'Microfiber Sheet Set']),
];
export const bedding: Maker = (r) => {
  const b = pick(r, beddingBrands);
  const line = pick(r, b.lines);
  const material = /Linen/.test(line) ? 'Linen' : /Fleece|Microfiber/.test(line) ? 'Microfiber' : /Pillow|Topper/.test(line) ? 'Memory foam' : 'Cotton';
  const beds = ['Twin', 'Full', 'Queen', 'King', 'California King'];
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${material}${material === 'Cotton' ? `, ${pick(r, [300, 400, 480, 600])} thread count` : ''}. Soft from the first night, and softer with every wash. ${closer(r)}`,
    attributes: { material },
    price: linePrice(r, b, line, 19, 349),
    grams: int(r, 500, 2800),
    axes: [
      { name: 'size', values: some(r, beds, 1, 3).sort((x, y) => beds.indexOf(x) - beds.indexOf(y)).map((label) => ({ label, factor: 1 + 0.12 * beds.indexOf(label) })) },
      colourAxis(r, ['White', 'Cream', 'Sage', 'Slate Blue', 'Charcoal'], 1, 1),
    ],
  };
};

/**
 * Product makers for the sports & outdoors categories: brands, lines and how a product of each is drawn.
 */
import type { Attributes } from '../../../../shared/db/schema';
import { brand, closer, colourAxis, linePrice, type Maker, some, values } from '../kit';
import { int, pick } from '../random';

const fitnessBrands = [
  brand('Bowflex', 'BOW', ['SelectTech 552 Adjustable Dumbbells', 'SelectTech 1090 Adjustable Dumbbells']),
  brand('Manduka', 'MAN', ['PRO Yoga Mat 6mm', 'eKO Lite Yoga Mat']),
  brand('Gaiam', 'GAI', ['Essentials Yoga Mat', 'Balance Ball Chair']),
  brand('TRX', 'TRX', ['All-in-One Suspension Trainer', 'HOME2 System']),
  brand('Therabody', 'THB', ['Theragun Prime', 'Theragun Mini']),
  brand('Concept2', 'CO2', ['RowErg', 'BikeErg']),
  brand('Hydro Flask', 'HYF', ['Wide Mouth Water Bottle', 'Standard Mouth Water Bottle']),
  brand('Amazon Basics', 'AMB', ['Cast Iron Kettlebell', 'Resistance Bands Set', 'Neoprene Dumbbell Pair']),
];
export const fitness: Maker = (r) => {
  const b = pick(r, fitnessBrands);
  const line = pick(r, b.lines);
  const weighted = /Kettlebell|Dumbbell/.test(line) && !/Adjustable/.test(line);
  const kgs = weighted ? some(r, [4, 8, 12, 16, 20, 24], 1, 4).sort((x, y) => x - y) : [];
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${pick(r, ['Gym-quality', 'Compact', 'Durable', 'Versatile'])} equipment for home workouts. ${closer(r)}`,
    attributes: { material: pick(r, ['Steel', 'Natural rubber', 'Neoprene', 'Stainless steel', 'Aluminium']), indoor: true },
    price: linePrice(r, b, line, 15, 1199),
    grams: weighted ? kgs[0]! * 1000 : /Adjustable/.test(line) ? int(r, 20000, 40000) : int(r, 300, 25000),
    axes: weighted
      ? [{ name: 'weight', values: kgs.map((kg) => ({ label: `${kg} kg`, factor: Math.sqrt(kg / kgs[0]!), grams: (kg - kgs[0]!) * 1000 })) }]
      : [colourAxis(r, ['Black', 'Blue', 'Purple', 'Green', 'Grey'], 1, 3)],
  };
};

const cyclingBrands = [
  brand('Trek', 'TRK', ['Domane AL 2', 'FX 2 Disc', 'Marlin 5']),
  brand('Specialized', 'SPZ', ['Allez', 'Rockhopper', 'Sirrus 2.0']),
  brand('Giant', 'GIA', ['Escape 3', 'Defy Advanced 2', 'Talon 3']),
  brand('Cannondale', 'CDL', ['Topstone 4', 'Quick 4', 'Trail 7']),
  brand('Garmin', 'GRM', ['Edge 540 Bike Computer', 'Varia RTL515 Radar Tail Light']),
  brand('Giro', 'GIR', ['Syntax MIPS Helmet', 'Register MIPS Helmet']),
  brand('Wahoo', 'WAH', ['KICKR CORE Smart Trainer', 'ELEMNT BOLT Bike Computer']),
];
export const cycling: Maker = (r) => {
  const b = pick(r, cyclingBrands);
  const line = pick(r, b.lines);
  const bike = ['Trek', 'Specialized', 'Giant', 'Cannondale'].includes(b.name);
  const kind = /Rockhopper|Marlin|Talon|Trail/.test(line) ? 'Mountain Bike' : /FX|Escape|Quick|Sirrus/.test(line) ? 'Hybrid Bike' : /Topstone/.test(line) ? 'Gravel Bike' : 'Road Bike';
  return {
    brand: b.name,
    brandCode: b.code,
    name: bike ? `${b.name} ${line} ${kind}` : `${b.name} ${line}`,
    description: bike
      ? `An aluminium ${kind.toLowerCase()} with hydraulic disc brakes and ${pick(r, ['Shimano Claris', 'Shimano Deore', 'SRAM Apex', 'Shimano Tiagra'])} gearing. ${closer(r)}`
      : `${pick(r, ['Ride safer', 'Train smarter', 'Know your numbers'])} with the ${line}. ${closer(r)}`,
    attributes: (bike ? { frame: 'Aluminium', type: kind.toLowerCase(), wheel_size: kind === 'Mountain Bike' ? '29"' : '700c' } : { type: 'accessory' }) as Attributes,
    price: bike ? linePrice(r, b, line, 499, 2999) : linePrice(r, b, line, 49, 599),
    grams: bike ? int(r, 8500, 14000) : /Trainer/.test(line) ? int(r, 20000, 22000) : /Helmet/.test(line) ? int(r, 250, 350) : int(r, 60, 120),
    axes: bike
      ? [{ name: 'frame size', values: values(some(r, ['XS', 'S', 'M', 'L', 'XL'], 1, 3).sort((x, y) => ['XS', 'S', 'M', 'L', 'XL'].indexOf(x) - ['XS', 'S', 'M', 'L', 'XL'].indexOf(y))) }, colourAxis(r, ['Matte Black', 'Gloss Blue', 'Olive Grey', 'Red'], 1, 1)]
      : /Helmet/.test(line)
        ? [{ name: 'size', values: values(some(r, ['S', 'M', 'L'], 1, 3)) }]
        : [],
  };
};

const tentBrands = [
  brand('REI Co-op', 'REI', ['Half Dome SL 2+', 'Trail Hut 4', 'Passage 2']),
  brand('Big Agnes', 'BGA', ['Copper Spur HV UL2', 'Tiger Wall UL2']),
  brand('MSR', 'MSR', ['Hubba Hubba 2', 'Elixir 3']),
  brand('Coleman', 'COL', ['Sundome 4-Person', 'Skydome 6-Person']),
  brand('Nemo', 'NEM', ['Dagger OSMO 2P', 'Aurora 3P']),
  brand('Marmot', 'MMT', ['Tungsten 2P', 'Limestone 4P']),
];
export const tent: Maker = (r) => {
  const b = pick(r, tentBrands);
  const line = pick(r, b.lines);
  const persons = Number(/(\d)/.exec(line.replace('UL2', '2').replace('SL 2', '2'))?.[1] ?? 2);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${pick(r, ['Backpacking Tent', 'Camping Tent', 'Tent'])}`,
    description: `A ${persons}-person, 3-season tent with ${persons > 3 ? 'a roomy vestibule' : 'two doors and two vestibules'} and colour-coded poles for a quick pitch. ${closer(r)}`,
    attributes: { capacity_persons: persons, season: '3-season', material: 'Ripstop nylon' },
    price: linePrice(r, b, line, 69, 649),
    grams: int(r, 1100, 9000),
    axes: [colourAxis(r, ['Olive', 'Orange', 'Grey', 'Green'], 1, 2)],
  };
};

const packBrands = [
  brand('Osprey', 'OSP', ['Atmos AG 65', 'Talon 22', 'Exos 58', 'Daylite Plus']),
  brand('Gregory', 'GRE', ['Baltoro 75', 'Zulu 40', 'Nano 18']),
  brand('Deuter', 'DEU', ['Futura 32', 'Aircontact Core 50+10', 'Speed Lite 21']),
  brand('REI Co-op', 'REI', ['Trail 40', 'Flash 22']),
  brand('Patagonia', 'PAT', ['Black Hole Pack 25L', 'Refugio Day Pack 26L']),
];
export const backpack: Maker = (r) => {
  const b = pick(r, packBrands);
  const line = pick(r, b.lines);
  const litres = Number(/(\d{2})/.exec(line)?.[1] ?? pick(r, [20, 25, 30]));
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${litres >= 40 ? 'Hiking Backpack' : 'Daypack'}`,
    description: `${litres} litres with a ventilated back panel, hip-belt pockets and a hydration sleeve. ${closer(r)}`,
    attributes: { capacity_l: litres, material: 'Ripstop nylon' },
    price: linePrice(r, b, line, 49, 349),
    grams: int(r, 500, 2300),
    axes: litres >= 40 ? [{ name: 'size', values: values(some(r, ['S/M', 'L/XL'], 1, 2).sort()) }, colourAxis(r, ['Black', 'Blue', 'Green', 'Red'], 1, 1)] : [colourAxis(r, ['Black', 'Blue', 'Green', 'Red', 'Grey'], 1, 3)],
  };
};

const teamBrands = [
  brand('Wilson', 'WIL', ['NBA Official Game Basketball', 'Evolution Basketball', 'A2000 Baseball Glove', 'NFL Duke Football']),
  brand('Spalding', 'SPA', ['TF-1000 Legacy Basketball', 'React TF-250 Basketball']),
  brand('Adidas', 'ADI', ['Champions League Pro Ball', 'Tiro League Soccer Ball']),
  brand('Nike', 'NKE', ['Flight Soccer Ball', 'Academy Soccer Ball']),
  brand('Rawlings', 'RAW', ['Pro Preferred Baseball Glove', 'Heart of the Hide Glove']),
  brand('Mikasa', 'MIK', ['V200W Volleyball', 'VLS300 Beach Volleyball']),
];
export const teamSports: Maker = (r) => {
  const b = pick(r, teamBrands);
  const line = pick(r, b.lines);
  const glove = /Glove/.test(line);
  const soccer = /Soccer|Champions/.test(line);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${pick(r, ['Match-quality', 'Official size and weight', 'Durable', 'Pro-level'])} ${glove ? 'glove of premium steerhide leather' : 'ball with a consistent feel and grip'}. ${closer(r)}`,
    attributes: { material: glove ? 'Leather' : pick(r, ['Composite leather', 'Rubber', 'Synthetic leather']), sport: glove ? 'baseball' : soccer ? 'soccer' : /Volley/.test(line) ? 'volleyball' : /Football/.test(line) ? 'american football' : 'basketball' },
    price: linePrice(r, b, line, 15, 399),
    grams: glove ? int(r, 550, 750) : int(r, 260, 650),
    axes: glove
      ? [{ name: 'size', values: values(some(r, ['11.5"', '11.75"', '12"', '12.75"'], 1, 2)) }, { name: 'hand', values: values(some(r, ['Right-Hand Throw', 'Left-Hand Throw'], 1, 2)) }]
      : soccer
        ? [{ name: 'size', values: values(some(r, ['Size 3', 'Size 4', 'Size 5'], 1, 3).sort()) }]
        : [],
  };
};

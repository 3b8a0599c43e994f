/**
 * Product makers for the electronics categories: brands, lines and how a product of each is drawn.
 */
import { brand, closer, colourAxis, COLOURS_TECH, linePrice, type Maker, some, storageAxis } from '../kit';
import { chance, int, pick } from '../random';

const phones = [
  brand('Apple', 'APL', ['iPhone 15', 'iPhone 15 Plus', 'iPhone 15 Pro', 'iPhone 16', 'iPhone 16 Pro', 'iPhone 16 Pro Max', 'iPhone SE']),
  brand('Samsung', 'SAM', ['Galaxy S24', 'Galaxy S24+', 'Galaxy S24 Ultra', 'Galaxy A35', 'Galaxy A55', 'Galaxy Z Flip6', 'Galaxy Z Fold6']),
  brand('Google', 'GGL', ['Pixel 8', 'Pixel 8a', 'Pixel 9', 'Pixel 9 Pro', 'Pixel 9 Pro XL']),
  brand('Xiaomi', 'XMI', ['Redmi Note 13', 'Redmi Note 13 Pro', '14', '14T Pro', 'Poco F6']),
  brand('OnePlus', 'ONP', ['12', '12R', 'Nord 4', 'Nord CE4']),
  brand('Motorola', 'MOT', ['Moto G84', 'Edge 50 Pro', 'Razr 50']),
];
export const smartphone: Maker = (r) => {
  const b = pick(r, phones);
  const line = pick(r, b.lines);
  const ram = pick(r, [6, 8, 12, 16]);
  const screen = pick(r, [6.1, 6.2, 6.4, 6.7, 6.8]);
  const os = b.name === 'Apple' ? 'iOS' : 'Android';
  const storage = storageAxis(r, b.name === 'Apple' ? [128, 256, 512, 1024] : [128, 256, 512]);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${pick(r, ['5G Smartphone', 'Unlocked Phone', 'Dual SIM Smartphone', 'Smartphone'])}${chance(r, 0.3) ? `, ${ram} GB RAM` : ''}`,
    description:
      `The ${line} is an unlocked 5G phone with a ${screen}-inch OLED display and ${ram} GB of RAM. ` +
      `${pick(r, ['All-day battery life and fast charging.', 'A pro-grade camera system for sharp photos in low light.', 'Durable glass front and aluminium frame.'])} ${closer(r)}`,
    attributes: { os, screen_in: screen, ram_gb: ram, connectivity: '5G' },
    price: linePrice(r, b, line, 199, 1299),
    grams: int(r, 165, 240),
    axes: [storage, colourAxis(r, COLOURS_TECH, 1, 2)],
  };
};

const tabletBrands = [
  brand('Apple', 'APL', ['iPad (10th generation)', 'iPad Air 11"', 'iPad Air 13"', 'iPad Pro 11"', 'iPad Pro 13"', 'iPad mini']),
  brand('Samsung', 'SAM', ['Galaxy Tab S9', 'Galaxy Tab S9 FE', 'Galaxy Tab A9+']),
  brand('Lenovo', 'LEN', ['Tab P12', 'Tab M11', 'Yoga Tab 13']),
  brand('Amazon', 'AMZ', ['Fire HD 10', 'Fire Max 11', 'Fire HD 8']),
  brand('Xiaomi', 'XMI', ['Pad 6', 'Redmi Pad SE']),
];
export const tablet: Maker = (r) => {
  const b = pick(r, tabletBrands);
  const line = pick(r, b.lines);
  const storage = storageAxis(r, [64, 128, 256, 512]);
  const screen = pick(r, [8.3, 10.9, 11, 12.4, 13]);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} Tablet${chance(r, 0.4) ? ', Wi-Fi' : ''}`,
    description: `${line}: a light tablet for streaming, notes and games, with a ${screen}-inch display and all-day battery. ${closer(r)}`,
    attributes: { os: b.name === 'Apple' ? 'iPadOS' : 'Android', screen_in: screen },
    price: linePrice(r, b, line, 99, 1299),
    grams: int(r, 290, 680),
    axes: [storage, colourAxis(r, COLOURS_TECH, 1, 2)],
  };
};

const laptopBrands = [
  brand('Apple', 'APL', ['MacBook Air 13" M3', 'MacBook Air 15" M3', 'MacBook Pro 14" M4', 'MacBook Pro 16" M4 Pro']),
  brand('Dell', 'DEL', ['XPS 13', 'XPS 14', 'Inspiron 15', 'Latitude 7450']),
  brand('Lenovo', 'LEN', ['ThinkPad X1 Carbon Gen 12', 'IdeaPad Slim 5', 'Yoga 7i', 'Legion 5 Pro']),
  brand('HP', 'HPQ', ['Spectre x360 14', 'Pavilion 15', 'EliteBook 840 G11', 'Omen 16']),
  brand('ASUS', 'ASU', ['Zenbook 14 OLED', 'ROG Zephyrus G14', 'Vivobook 16']),
  brand('Acer', 'ACR', ['Swift Go 14', 'Aspire 5', 'Predator Helios 16']),
  brand('Microsoft', 'MSF', ['Surface Laptop 7', 'Surface Pro 11']),
];
export const laptop: Maker = (r) => {
  const b = pick(r, laptopBrands);
  const line = pick(r, b.lines);
  const cpu = b.name === 'Apple' ? `Apple ${/M\d(?: Pro| Max)?/.exec(line)?.[0] ?? 'M3'}` : pick(r, ['Intel Core Ultra 7', 'Intel Core i5', 'AMD Ryzen 7', 'AMD Ryzen 5', 'Snapdragon X Elite']);
  const configs = some(r, [[8, 256], [16, 512], [16, 1024], [32, 1024], [32, 2048]] as const, 1, 3).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const base = configs[0]!;
  const screen = Number(/(\d\d)"/.exec(line)?.[1] ?? pick(r, [13.6, 14, 15.6, 16]));
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} Laptop${b.name === 'Apple' ? '' : `, ${cpu}`}`,
    description:
      `A ${pick(r, ['thin and light', 'powerful', 'versatile', 'business-class'])} laptop with ${cpu}, a ${screen}-inch display ` +
      `and up to ${pick(r, [12, 15, 18, 20])} hours of battery. ${closer(r)}`,
    attributes: { cpu, os: b.name === 'Apple' ? 'macOS' : 'Windows 11', screen_in: screen },
    price: linePrice(r, b, line, 449, 2499),
    grams: int(r, 1150, 2600),
    axes: [
      {
        name: 'configuration',
        values: configs.map(([ram, ssd]) => ({
          label: `${ram} GB / ${ssd >= 1024 ? `${ssd / 1024} TB` : `${ssd} GB`}`,
          factor: 1 + 0.12 * Math.log2(ram / base[0]) + 0.1 * Math.log2(ssd / base[1]),
          attrs: { ram_gb: ram, storage_gb: ssd },
        })),
      },
    ],
  };
};

const monitorBrands = [
  brand('Dell', 'DEL', ['UltraSharp U2724D', 'UltraSharp U3225QE', 'S2721DGF']),
  brand('LG', 'LGE', ['UltraGear 27GR95QE', 'UltraFine 27UQ850', '32UN880 Ergo']),
  brand('Samsung', 'SAM', ['Odyssey G7', 'Odyssey OLED G8', 'ViewFinity S8']),
  brand('ASUS', 'ASU', ['ProArt PA278QV', 'TUF Gaming VG27AQ', 'ROG Swift PG27AQDM']),
  brand('BenQ', 'BNQ', ['PD2705U', 'MOBIUZ EX2710Q', 'GW2790']),
  brand('AOC', 'AOC', ['24G2SP', 'Q27G3XMN']),
];
export const monitor: Maker = (r) => {
  const b = pick(r, monitorBrands);
  const line = pick(r, b.lines);
  const size = pick(r, [24, 27, 27, 32, 34]);
  const resolution = pick(r, ['1920x1080', '2560x1440', '3840x2160']);
  const hz = pick(r, [60, 75, 144, 165, 240]);
  const panel = pick(r, ['IPS', 'VA', 'OLED']);
  const label = resolution === '3840x2160' ? '4K UHD' : resolution === '2560x1440' ? 'QHD' : 'Full HD';
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${size}" ${label} ${panel} Monitor${hz >= 144 ? `, ${hz} Hz` : ''}`,
    description: `A ${size}-inch ${panel} monitor at ${resolution} and ${hz} Hz, with USB-C and a height-adjustable stand. ${closer(r)}`,
    attributes: { screen_in: size, resolution, refresh_hz: hz, panel },
    price: linePrice(r, b, line, 129, 1199),
    grams: int(r, 3500, 8200),
    axes: [],
  };
};

const headphoneBrands = [
  brand('Sony', 'SNY', ['WH-1000XM5', 'WF-1000XM5', 'WH-CH720N', 'ULT Wear']),
  brand('Bose', 'BOS', ['QuietComfort Ultra', 'QuietComfort Earbuds II', 'QuietComfort 45']),
  brand('Apple', 'APL', ['AirPods Pro (2nd generation)', 'AirPods Max', 'AirPods 4']),
  brand('Sennheiser', 'SEN', ['Momentum 4', 'Momentum True Wireless 4', 'Accentum Plus']),
  brand('JBL', 'JBL', ['Tune 770NC', 'Live Pro 2', 'Tour One M2']),
  brand('Beats', 'BTS', ['Studio Pro', 'Solo 4', 'Fit Pro']),
  brand('Anker', 'ANK', ['Soundcore Space Q45', 'Soundcore Liberty 4 NC', 'Soundcore Life Q30']),
];
export const headphones: Maker = (r) => {
  const b = pick(r, headphoneBrands);
  const line = pick(r, b.lines);
  const inEar = /Earbuds|AirPods(?! Max)|WF-|True Wireless|Live Pro|Fit Pro|Liberty/.test(line);
  const anc = chance(r, 0.75);
  const hours = inEar ? int(r, 5, 10) : int(r, 20, 60);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${inEar ? 'Wireless Earbuds' : pick(r, ['Wireless Headphones', 'Wireless Over-Ear Headphones'])}${anc ? ' with Noise Cancelling' : ''}`,
    description:
      `${anc ? 'Active noise cancelling, ' : ''}Bluetooth 5.3 and up to ${hours} hours of playback${inEar ? ' (more with the charging case)' : ''}. ` +
      `${pick(r, ['Comfortable for all-day wear.', 'Clear calls with beamforming microphones.', 'Rich, balanced sound tuned by our engineers.'])} ${closer(r)}`,
    attributes: { type: inEar ? 'in-ear' : 'over-ear', wireless: true, noise_cancelling: anc, battery_hours: hours },
    price: linePrice(r, b, line, 39, 549),
    grams: inEar ? int(r, 40, 70) : int(r, 220, 390),
    axes: [colourAxis(r, ['Black', 'White', 'Silver', 'Midnight Blue', 'Sandstone', 'Pink'], 1, 4)],
  };
};

const speakerBrands = [
  brand('JBL', 'JBL', ['Flip 6', 'Charge 5', 'Go 4', 'Xtreme 4']),
  brand('Sonos', 'SON', ['Era 100', 'Era 300', 'Move 2', 'Roam 2']),
  brand('Bose', 'BOS', ['SoundLink Flex', 'SoundLink Max', 'SoundLink Micro']),
  brand('Ultimate Ears', 'UEA', ['BOOM 4', 'WONDERBOOM 4', 'MEGABOOM 4']),
  brand('Marshall', 'MAR', ['Emberton III', 'Stanmore III', 'Middleton']),
];
export const speaker: Maker = (r) => {
  const b = pick(r, speakerBrands);
  const line = pick(r, b.lines);
  const portable = !/Era|Stanmore/.test(line);
  const hours = portable ? int(r, 10, 30) : 0;
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${portable ? pick(r, ['Portable Wireless Bluetooth Speaker', 'Waterproof Wireless Speaker']) : 'Wireless Smart Speaker'}`,
    description: portable
      ? `Big sound from a rugged, IP67 waterproof speaker with ${hours} hours of battery. Pair two for stereo. ${closer(r)}`
      : `A wireless smart speaker for the home: Wi-Fi and Bluetooth, voice control and room-filling sound. ${closer(r)}`,
    attributes: { wireless: true, ...(portable ? { battery_hours: hours, waterproof: 'IP67' } : { smart_assistant: true }) },
    price: linePrice(r, b, line, 49, 599),
    grams: portable ? int(r, 180, 2100) : int(r, 2000, 4500),
    axes: [colourAxis(r, ['Black', 'White', 'Blue', 'Red', 'Forest Green', 'Cream'], 1, 4)],
  };
};

const cameraBrands = [
  brand('Canon', 'CAN', ['EOS R6 Mark II', 'EOS R50', 'EOS R8', 'EOS R10']),
  brand('Sony', 'SNY', ['Alpha 7 IV', 'Alpha 6400', 'ZV-E10 II', 'Alpha 7C II']),
  brand('Nikon', 'NIK', ['Z6 III', 'Z fc', 'Z50 II', 'Z5']),
  brand('Fujifilm', 'FUJ', ['X-T5', 'X100VI', 'X-S20', 'X-M5']),
  brand('Panasonic', 'PAN', ['Lumix S5 II', 'Lumix G9 II']),
];
export const camera: Maker = (r) => {
  const b = pick(r, cameraBrands);
  const line = pick(r, b.lines);
  const fullFrame = /R6|R8|Alpha 7|Z6|Z5|S5/.test(line);
  const mp = fullFrame ? pick(r, [24, 24.2, 33, 45]) : pick(r, [24.2, 26, 40.2]);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} Mirrorless Camera`,
    description: `${fullFrame ? 'Full-frame' : 'APS-C'} ${mp} MP sensor, in-body stabilisation and 4K video in a compact body. ${closer(r)}`,
    attributes: { sensor: fullFrame ? 'Full Frame' : 'APS-C', megapixels: mp, video: '4K' },
    price: linePrice(r, b, line, 549, 2499),
    grams: int(r, 380, 760),
    axes: [
      {
        name: 'kit',
        values: some(r, [{ label: 'Body Only' }, { label: 'With Kit Lens', factor: 1.2, grams: 300 }, { label: 'With Zoom Lens', factor: 1.45, grams: 550 }], 1, 3),
      },
    ],
  };
};

const watchBrands = [
  brand('Apple', 'APL', ['Watch Series 10', 'Watch SE', 'Watch Ultra 2']),
  brand('Samsung', 'SAM', ['Galaxy Watch7', 'Galaxy Watch Ultra', 'Galaxy Fit3']),
  brand('Garmin', 'GRM', ['Forerunner 265', 'Fenix 8', 'Venu 3', 'Instinct 2X']),
  brand('Fitbit', 'FIT', ['Charge 6', 'Versa 4', 'Inspire 3']),
  brand('Google', 'GGL', ['Pixel Watch 3']),
  brand('Amazfit', 'AMF', ['GTR 4', 'Balance', 'Bip 5']),
];
export const smartwatch: Maker = (r) => {
  const b = pick(r, watchBrands);
  const line = pick(r, b.lines);
  const tracker = /Fit3|Charge|Inspire|Bip/.test(line);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${tracker ? 'Fitness Tracker' : pick(r, ['Smartwatch', 'GPS Smartwatch', 'Smart Watch'])}`,
    description: `Heart rate, sleep and workout tracking${tracker ? '' : ', built-in GPS and notifications from your phone'}. Water resistant to 50 m. ${closer(r)}`,
    attributes: { gps: !tracker, water_resistance_m: 50, battery_days: tracker ? int(r, 7, 14) : int(r, 1, 14) },
    price: linePrice(r, b, line, 49, 899),
    grams: int(r, 25, 70),
    axes: tracker
      ? [colourAxis(r, ['Black', 'Lunar White', 'Coral', 'Sage'], 1, 3)]
      : [{ name: 'case', values: some(r, [{ label: '41 mm' }, { label: '45 mm', factor: 1.08 }], 1, 2) }, colourAxis(r, ['Midnight', 'Starlight', 'Silver', 'Black', 'Slate'], 1, 2)],
  };
};

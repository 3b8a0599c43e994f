/**
 * Product makers for the beauty categories: brands, lines and how a product of each is drawn.
 */
import type { Attributes } from '../../../../shared/db/schema';
import { type Axis, brand, closer, colourAxis, linePrice, type Maker, some, values } from '../kit';
import { chance, int, pick, type Rng } from '../random';

const volumes = (r: Rng, options: readonly number[]): Axis => ({
  name: 'size',
  values: some(r, options, 1, 2)
    .sort((a, b) => a - b)
    .map((ml, _i, all) => ({ label: `${ml} ml`, factor: Math.pow(ml / all[0]!, 0.7), grams: ml })),
});

const skincareBrands = [
  brand('CeraVe', 'CER', ['Hydrating Facial Cleanser', 'Moisturizing Cream', 'PM Facial Moisturizing Lotion']),
  brand('La Roche-Posay', 'LRP', ['Anthelios Sunscreen SPF 50', 'Toleriane Double Repair Moisturizer', 'Effaclar Duo']),
  brand('The Ordinary', 'ORD', ['Niacinamide 10% + Zinc 1% Serum', 'Hyaluronic Acid 2% + B5 Serum', 'Glycolic Acid 7% Toner']),
  brand('Neutrogena', 'NTG', ['Hydro Boost Water Gel', 'Ultra Sheer Sunscreen SPF 55']),
  brand("Kiehl's", 'KIE', ['Ultra Facial Cream', 'Midnight Recovery Concentrate']),
  brand('Clinique', 'CLQ', ['Moisture Surge 100H', 'Dramatically Different Moisturizing Lotion+']),
  brand("Paula's Choice", 'PCH', ['2% BHA Liquid Exfoliant', 'C15 Super Booster']),
];
export const skincare: Maker = (r) => {
  const b = pick(r, skincareBrands);
  const line = pick(r, b.lines);
  const skin = pick(r, ['all', 'dry', 'oily', 'combination', 'sensitive']);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `Dermatologist-tested, for ${skin === 'all' ? 'all skin types' : `${skin} skin`}. ${pick(r, ['Fragrance-free and non-comedogenic.', 'With ceramides and hyaluronic acid.', 'Lightweight and fast-absorbing.'])} ${closer(r)}`,
    attributes: { skin_type: skin, vegan: chance(r, 0.4), fragrance_free: chance(r, 0.6) },
    price: linePrice(r, b, line, 8, 89),
    grams: 40,
    axes: [volumes(r, [30, 50, 100, 236, 473])],
  };
};

const makeupBrands = [
  brand('Maybelline', 'MAY', ['Lash Sensational Mascara', 'Fit Me Matte + Poreless Foundation', 'SuperStay Matte Ink Lipstick']),
  brand("L'Oréal Paris", 'LOR', ['True Match Foundation', 'Infallible 24H Lipstick', 'Voluminous Mascara']),
  brand('Fenty Beauty', 'FEN', ["Pro Filt'r Soft Matte Foundation", 'Gloss Bomb Lip Luminizer']),
  brand('NARS', 'NRS', ['Radiant Creamy Concealer', 'Blush', 'Light Reflecting Foundation']),
  brand('MAC', 'MAC', ['Matte Lipstick', 'Studio Fix Fluid SPF 15']),
  brand('Rare Beauty', 'RAR', ['Soft Pinch Liquid Blush', 'Liquid Touch Foundation']),
  brand('e.l.f.', 'ELF', ['Power Grip Primer', 'Halo Glow Liquid Filter', 'Camo Concealer']),
];
export const makeup: Maker = (r) => {
  const b = pick(r, makeupBrands);
  const line = pick(r, b.lines);
  const lip = /Lip|Gloss/.test(line);
  const shades = lip ? ['Ruby Woo', 'Velvet Teddy', 'Nude Pink', 'Berry', 'Coral'] : ['Fair', 'Light', 'Medium', 'Tan', 'Deep', 'Rich'];
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${pick(r, ['Long-wearing', 'Buildable', 'Weightless', 'Transfer-resistant'])} ${lip ? 'colour' : 'coverage'} with a ${pick(r, ['matte', 'satin', 'dewy'])} finish. ${closer(r)}`,
    attributes: { finish: pick(r, ['matte', 'satin', 'dewy']), vegan: chance(r, 0.3), cruelty_free: chance(r, 0.7) },
    price: linePrice(r, b, line, 7, 49),
    grams: int(r, 10, 60),
    axes: [{ name: 'shade', values: values(some(r, shades, 1, 4)) }],
  };
};

const fragranceBrands = [
  brand('Chanel', 'CHA', ['Coco Mademoiselle', 'Bleu de Chanel', 'Chance Eau Tendre']),
  brand('Dior', 'DIO', ['Sauvage', 'Miss Dior', "J'adore"]),
  brand('Yves Saint Laurent', 'YSL', ['Libre', 'Y', 'Black Opium']),
  brand('Jo Malone London', 'JML', ['Wood Sage & Sea Salt', 'English Pear & Freesia']),
  brand('Tom Ford', 'TFD', ['Oud Wood', 'Black Orchid']),
  brand('Giorgio Armani', 'ARM', ['Acqua di Giò', 'My Way']),
  brand('Versace', 'VER', ['Eros', 'Bright Crystal']),
];
export const fragrance: Maker = (r) => {
  const b = pick(r, fragranceBrands);
  const line = pick(r, b.lines);
  const concentration = b.name === 'Jo Malone London' ? 'Cologne' : pick(r, ['Eau de Parfum', 'Eau de Toilette', 'Parfum']);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${concentration}`,
    description: `${pick(r, ['Fresh and woody', 'Warm and ambery', 'Floral and bright', 'Spicy and aromatic'])}, with notes of ${pick(r, ['bergamot', 'vanilla', 'sea salt', 'rose', 'sandalwood'])} and ${pick(r, ['patchouli', 'jasmine', 'amber', 'cedar', 'pear'])}. ${closer(r)}`,
    attributes: { concentration, gender: pick(r, ['women', 'men', 'unisex']) },
    price: linePrice(r, b, line, 49, 295),
    grams: 150,
    axes: [volumes(r, [30, 50, 100, 150])],
  };
};

const hairBrands = [
  brand('Olaplex', 'OLA', ['No. 3 Hair Perfector', 'No. 4 Bond Maintenance Shampoo', 'No. 5 Conditioner']),
  brand('Dyson', 'DYS', ['Supersonic Hair Dryer', 'Airwrap Multi-Styler', 'Corrale Straightener']),
  brand('Moroccanoil', 'MOR', ['Treatment Oil', 'Hydrating Shampoo']),
  brand('Briogeo', 'BRI', ["Don't Despair, Repair! Mask", 'Scalp Revival Shampoo']),
  brand('ghd', 'GHD', ['Platinum+ Styler', 'Helios Hair Dryer']),
  brand('Redken', 'RED', ['All Soft Shampoo', 'Acidic Bonding Concentrate Conditioner']),
];
export const haircare: Maker = (r) => {
  const b = pick(r, hairBrands);
  const line = pick(r, b.lines);
  const tool = /Dryer|Styler|Straightener/.test(line);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: tool
      ? `Fast drying and styling with intelligent heat control to protect your hair's shine. ${closer(r)}`
      : `For ${pick(r, ['damaged', 'dry', 'curly', 'fine', 'all'])} hair: repairs, smooths and adds shine. ${closer(r)}`,
    attributes: (tool ? { type: 'styling tool', wattage: pick(r, [1200, 1600, 1800]) } : { type: 'hair care', hair_type: pick(r, ['all', 'damaged', 'curly', 'fine']) }) as Attributes,
    price: tool ? linePrice(r, b, line, 149, 599) : linePrice(r, b, line, 9, 59),
    grams: tool ? int(r, 450, 900) : 120,
    axes: tool ? [colourAxis(r, ['Nickel/Copper', 'Prussian Blue', 'Black', 'Ceramic Pink'], 1, 2)] : [volumes(r, [100, 250, 500, 1000])],
  };
};

import type { Config } from '@microshop/config';
import type { Db } from '@microshop/db';
import { appendToOutbox } from '@microshop/events';
import { outboxSource, productChanged } from '../src/events.ts';
import {
  ProductRepository,
  type NewVariant,
  type SeedProduct,
  type SelectedOption,
} from '../src/product.repository.ts';

/**
 * Demo and benchmark catalogs. Both insert through the repository's multi-row statements, which
 * keep what exists (by slug and sku), so running them again changes nothing.
 */

type DemoProduct = [
  sku: string,
  name: string,
  description: string,
  priceAmount: number,
  stock: number,
];

const DEMO_CATALOG: Record<string, { name: string; products: DemoProduct[] }> = {
  audio: {
    name: 'Audio',
    products: [
      [
        'AUD-001',
        'Wireless Noise-Cancelling Headphones',
        'Over-ear headphones with active noise cancelling, 30-hour battery and fast charging.',
        24999,
        40,
      ],
      [
        'AUD-002',
        'True Wireless Earbuds',
        'Compact earbuds with a pocket charging case and sweat-resistant design.',
        12999,
        75,
      ],
      [
        'AUD-003',
        'Portable Bluetooth Speaker',
        'Waterproof speaker with deep bass and 12 hours of playback.',
        7999,
        60,
      ],
      [
        'AUD-004',
        'Studio Monitor Headphones',
        'Closed-back headphones with a flat response for mixing and mastering.',
        14900,
        25,
      ],
      [
        'AUD-005',
        'Smart Home Speaker',
        'Voice-controlled speaker that fills a room with clear sound.',
        9900,
        30,
      ],
      [
        'AUD-006',
        'Vinyl Record Player',
        'Belt-driven turntable with built-in preamp and USB output.',
        18900,
        12,
      ],
      [
        'AUD-007',
        'Soundbar with Subwoofer',
        'Slim soundbar and wireless subwoofer for cinematic TV audio.',
        29900,
        15,
      ],
      [
        'AUD-008',
        'USB Condenser Microphone',
        'Cardioid microphone for podcasts, streaming and voice-over.',
        8900,
        45,
      ],
      [
        'AUD-009',
        'Kids Volume-Limited Headphones',
        'Lightweight headphones capped at 85 dB for young ears.',
        2499,
        0,
      ],
    ],
  },
  computers: {
    name: 'Computers',
    products: [
      [
        'CMP-001',
        'Ultralight 14-inch Laptop',
        'A 1.1 kg laptop with an all-day battery and a bright 2.8K display.',
        129900,
        10,
      ],
      [
        'CMP-002',
        'Mechanical Keyboard',
        'Tenkeyless keyboard with hot-swappable tactile switches and PBT keycaps.',
        10900,
        35,
      ],
      [
        'CMP-003',
        'Wireless Ergonomic Mouse',
        'Sculpted mouse with a thumb rest and silent clicks.',
        5999,
        80,
      ],
      [
        'CMP-004',
        '27-inch 4K Monitor',
        'IPS monitor with USB-C power delivery and factory colour calibration.',
        39900,
        8,
      ],
      [
        'CMP-005',
        'USB-C Docking Station',
        'One cable for two displays, Ethernet, power and five USB ports.',
        17900,
        22,
      ],
      [
        'CMP-006',
        'Portable SSD 1TB',
        'Pocket-sized solid state drive with 1050 MB/s transfers.',
        11900,
        50,
      ],
      [
        'CMP-007',
        'HD Webcam',
        '1080p webcam with a privacy shutter and dual microphones.',
        6900,
        40,
      ],
      ['CMP-008', 'Laptop Stand', 'Aluminium stand that lifts the screen to eye level.', 3999, 65],
      [
        'CMP-009',
        'Mesh Wi-Fi System',
        'Three nodes that blanket a large home in fast Wi-Fi.',
        27900,
        0,
      ],
    ],
  },
  kitchen: {
    name: 'Kitchen',
    products: [
      [
        'KIT-001',
        'Espresso Machine',
        'Fifteen-bar pump espresso machine with a steam wand for milk.',
        34900,
        9,
      ],
      [
        'KIT-002',
        'Chef Knife 20 cm',
        'Forged stainless steel chef knife with a full tang.',
        8900,
        30,
      ],
      [
        'KIT-003',
        'Cast Iron Skillet',
        'Pre-seasoned 26 cm skillet for searing, baking and frying.',
        4499,
        44,
      ],
      [
        'KIT-004',
        'Electric Kettle',
        'Temperature-controlled kettle for tea and pour-over coffee.',
        6900,
        38,
      ],
      [
        'KIT-005',
        'Stand Mixer',
        'Tilt-head mixer with a 5 litre bowl, whisk, paddle and dough hook.',
        44900,
        6,
      ],
      ['KIT-006', 'Burr Coffee Grinder', 'Conical burr grinder with 40 grind settings.', 12900, 18],
      [
        'KIT-007',
        'Nonstick Frying Pan',
        'PFOA-free nonstick pan that works on induction.',
        3499,
        70,
      ],
      ['KIT-008', 'Digital Kitchen Scale', 'Scale with 1 g precision and a tare button.', 1999, 90],
      ['KIT-009', 'Blender', 'High-speed blender for smoothies, soups and nut butters.', 15900, 0],
    ],
  },
  outdoor: {
    name: 'Outdoor',
    products: [
      [
        'OUT-001',
        'Two-Person Camping Tent',
        'Freestanding waterproof tent that packs down small.',
        19900,
        14,
      ],
      [
        'OUT-002',
        'Hiking Backpack 40L',
        'Ventilated backpack with a rain cover and hip-belt pockets.',
        12900,
        27,
      ],
      ['OUT-003', 'Down Sleeping Bag', 'Lightweight sleeping bag rated to -5 °C.', 22900, 11],
      ['OUT-004', 'Trekking Poles', 'Collapsible carbon trekking poles with cork grips.', 8900, 33],
      [
        'OUT-005',
        'Insulated Water Bottle',
        'Stainless steel bottle that keeps drinks cold for 24 hours.',
        2999,
        120,
      ],
      ['OUT-006', 'Headlamp', 'Rechargeable 400-lumen headlamp with a red night mode.', 3999, 58],
      [
        'OUT-007',
        'Camping Stove',
        'Compact gas stove that boils a litre in three minutes.',
        5499,
        20,
      ],
      [
        'OUT-008',
        'Waterproof Rain Jacket',
        'Breathable three-layer shell with taped seams.',
        17900,
        16,
      ],
      [
        'OUT-009',
        'Folding Camp Chair',
        'Packable chair with a cup holder, rated to 120 kg.',
        4999,
        0,
      ],
    ],
  },
  books: {
    name: 'Books',
    products: [
      [
        'BOK-001',
        'The Pragmatic Programmer',
        'Timeless advice on the craft of software development.',
        4299,
        25,
      ],
      [
        'BOK-002',
        'Designing Data-Intensive Applications',
        'The big ideas behind reliable, scalable and maintainable systems.',
        4999,
        20,
      ],
      [
        'BOK-003',
        'Clean Architecture',
        "A craftsman's guide to software structure and design.",
        3799,
        18,
      ],
      [
        'BOK-004',
        'The Art of Cooking Simply',
        'Recipes built on a few good ingredients.',
        2999,
        12,
      ],
      ['BOK-005', 'A Field Guide to Birds', 'Illustrated guide to more than 700 species.', 2499, 9],
      [
        'BOK-006',
        'Mountain Trails Atlas',
        'Maps and route notes for two hundred day hikes.',
        3499,
        7,
      ],
      ['BOK-007', 'Learning TypeScript', 'From JavaScript to confident, type-safe code.', 3999, 30],
      [
        'BOK-008',
        'The Home Barista',
        'Brewing better coffee at home, from beans to latte art.',
        2799,
        14,
      ],
      [
        'BOK-009',
        'Sound Recording Basics',
        'Microphones, rooms and mixing for beginners.',
        3199,
        0,
      ],
    ],
  },
  home: {
    name: 'Home',
    products: [
      [
        'HOM-001',
        'Linen Duvet Cover',
        'Stonewashed linen duvet cover that softens with every wash.',
        11900,
        20,
      ],
      ['HOM-002', 'Memory Foam Pillow', 'Contoured pillow that supports the neck.', 4999, 42],
      [
        'HOM-003',
        'LED Desk Lamp',
        'Dimmable desk lamp with adjustable colour temperature.',
        4599,
        36,
      ],
      [
        'HOM-004',
        'Robot Vacuum Cleaner',
        'Self-charging robot vacuum with app scheduling.',
        29900,
        10,
      ],
      ['HOM-005', 'Air Purifier', 'HEPA air purifier for rooms up to 40 m².', 18900, 13],
      [
        'HOM-006',
        'Scented Soy Candle',
        'Hand-poured candle with cedar and vanilla notes.',
        1899,
        85,
      ],
      [
        'HOM-007',
        'Wool Throw Blanket',
        'Merino wool throw woven in a herringbone pattern.',
        8900,
        24,
      ],
      [
        'HOM-008',
        'Ceramic Plant Pot Set',
        'Three matte ceramic pots with drainage saucers.',
        3299,
        31,
      ],
      ['HOM-009', 'Wall Clock', 'Silent-sweep wall clock with an oak frame.', 3999, 0],
    ],
  },
};

/**
 * Demo products sold in several variants (by sku): the options of the variant the product is
 * created with, and its further variants.
 */
const DEMO_VARIANTS: Record<string, { options: SelectedOption[]; more: NewVariant[] }> = {
  'HOM-007': {
    options: [{ name: 'Colour', value: 'Grey' }],
    more: [
      {
        sku: 'HOM-007-NAVY',
        selectedOptions: [{ name: 'Colour', value: 'Navy' }],
        priceAmount: 8900,
        onHand: 12,
      },
      {
        sku: 'HOM-007-OCHRE',
        selectedOptions: [{ name: 'Colour', value: 'Ochre' }],
        priceAmount: 9400,
        onHand: 0,
      },
    ],
  },
};

/**
 * `npm start` seeds right after starting a cold embedded PostgreSQL, often on a busy machine: the
 * inserts and their outbox rows can outlast Prisma's 5 s default, which failed the whole start.
 */
const SEED_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

/**
 * Seeds the demo catalog (6 categories, 54 products) when its rows are missing. Each new
 * product gets a ProductChanged event in the same transaction, so the search index follows
 * through the outbox like for any other write.
 */
export async function seedDemoCatalog(
  db: Db,
  config?: Pick<Config, 'isProduction'>,
): Promise<{ created: number }> {
  if (config?.isProduction)
    throw new Error('refusing to seed demo products into a production database');
  return db.$transaction(async (tx) => {
    const repository = new ProductRepository(tx);
    const created = await repository.insertMissing(
      Object.entries(DEMO_CATALOG).map(([slug, category]) => ({ slug, name: category.name })),
      Object.entries(DEMO_CATALOG).flatMap(([categorySlug, category]) =>
        category.products.map(([sku, name, description, priceAmount, onHand]) => ({
          sku,
          name,
          description,
          priceAmount,
          currency: 'EUR',
          onHand,
          categorySlug,
        })),
      ),
    );
    // Products created now get their variants (a product seeded before is left as it is).
    for (const first of await repository.findVariantsByProductIds(created, tx)) {
      const demo = DEMO_VARIANTS[first.sku];
      if (!demo) continue;
      await repository.updateVariant(tx, first, { selectedOptions: demo.options });
      for (const variant of demo.more) await repository.createVariant(tx, first.productId, variant);
    }
    await appendToOutbox(tx, outboxSource, productChanged(created));
    return { created: created.length };
  }, SEED_TRANSACTION_OPTIONS);
}

// ---------------------------------------------------------------- generated (benchmark) catalog

const GENERATED_CATEGORIES: Array<[slug: string, name: string, nouns: string[]]> = [
  [
    'audio',
    'Audio',
    ['Headphones', 'Earbuds', 'Speaker', 'Soundbar', 'Amplifier', 'Turntable', 'Microphone'],
  ],
  [
    'computers',
    'Computers',
    ['Laptop', 'Keyboard', 'Mouse', 'Monitor', 'Webcam', 'Router', 'Docking Station'],
  ],
  [
    'kitchen',
    'Kitchen',
    ['Knife', 'Skillet', 'Kettle', 'Blender', 'Grinder', 'Toaster', 'Saucepan'],
  ],
  [
    'outdoor',
    'Outdoor',
    ['Tent', 'Backpack', 'Sleeping Bag', 'Headlamp', 'Water Bottle', 'Jacket', 'Stove'],
  ],
  [
    'books',
    'Books',
    ['Cookbook', 'Novel', 'Field Guide', 'Atlas', 'Handbook', 'Biography', 'Anthology'],
  ],
  ['home', 'Home', ['Lamp', 'Pillow', 'Blanket', 'Candle', 'Vase', 'Clock', 'Rug']],
  [
    'sports',
    'Sports',
    [
      'Yoga Mat',
      'Dumbbell',
      'Running Shoes',
      'Bike Helmet',
      'Tennis Racket',
      'Jump Rope',
      'Football',
    ],
  ],
  [
    'toys',
    'Toys',
    ['Puzzle', 'Building Blocks', 'Board Game', 'Plush Bear', 'Kite', 'Train Set', 'Robot Kit'],
  ],
  [
    'garden',
    'Garden',
    ['Hose', 'Pruning Shears', 'Planter', 'Watering Can', 'Rake', 'Bird Feeder', 'Seed Kit'],
  ],
  [
    'beauty',
    'Beauty',
    ['Face Cream', 'Shampoo', 'Hair Dryer', 'Perfume', 'Lip Balm', 'Body Lotion', 'Razor'],
  ],
];
const ADJECTIVES = [
  'Classic',
  'Compact',
  'Premium',
  'Eco',
  'Smart',
  'Portable',
  'Deluxe',
  'Rugged',
  'Minimalist',
  'Vintage',
  'Ultra',
  'Essential',
  'Pro',
  'Lightweight',
  'Handcrafted',
  'Wireless',
];
const MATERIALS = [
  'Bamboo',
  'Steel',
  'Oak',
  'Ceramic',
  'Carbon',
  'Linen',
  'Copper',
  'Leather',
  'Glass',
  'Wool',
  'Aluminium',
  'Cotton',
];
const COLOURS = ['Black', 'White', 'Slate', 'Forest Green', 'Navy', 'Sand', 'Crimson', 'Sky Blue'];
const TRAITS = [
  'built to last',
  'easy to clean',
  'designed for everyday use',
  'made from recycled materials',
  'with a two-year warranty',
  'loved by reviewers',
  'for beginners and pros alike',
  'that travels well',
];

/**
 * A small deterministic PRNG (mulberry32): the same N gives the same catalog on every machine, and
 * the benchmark gives every target the same sequence of requests.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, list: readonly T[]): T =>
  list[Math.floor(next() * list.length)]!;

/**
 * Inserts `count` generated products (SKU GEN-000001...) across ten categories, `batchSize` rows
 * per INSERT ... SELECT FROM unnest(...) statement. Existing SKUs are kept, so a second run
 * tops the catalog up to `count`. No events: bulk loads are followed by a reindex.
 */
export async function seedGeneratedCatalog(
  db: Db,
  count: number,
  options: { batchSize?: number; onProgress?: (inserted: number) => void } = {},
): Promise<{ created: number }> {
  const batchSize = options.batchSize ?? 5_000;
  const repository = new ProductRepository(db);
  const categories = GENERATED_CATEGORIES.map(([slug, name]) => ({ slug, name }));
  const next = seededRandom(20261125);
  let created = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const products: SeedProduct[] = [];
    for (let offset = 0; offset < size; offset += 1) {
      const [slug, categoryName, nouns] = pick(next, GENERATED_CATEGORIES);
      const noun = pick(next, nouns);
      const material = pick(next, MATERIALS);
      const name = `${pick(next, ADJECTIVES)} ${material} ${noun}`;
      products.push({
        sku: `GEN-${(start + offset + 1).toString().padStart(6, '0')}`,
        name: `${name} ${pick(next, COLOURS)}`,
        description: `A ${material.toLowerCase()} ${noun.toLowerCase()} from our ${categoryName.toLowerCase()} range, ${pick(next, TRAITS)} and ${pick(next, TRAITS)}.`,
        // Log-uniform prices between 5.00 and 2000.00, rounded to .99.
        priceAmount: Math.round(Math.exp(Math.log(500) + next() * Math.log(400)) / 100) * 100 - 1,
        currency: 'EUR',
        onHand: next() < 0.1 ? 0 : Math.floor(next() * 200),
        categorySlug: slug,
      });
    }
    created += (await repository.insertMissing(categories, products)).length;
    options.onProgress?.(start + size);
  }
  return { created };
}

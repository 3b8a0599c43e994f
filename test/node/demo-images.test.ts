import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wranglerBucketName } from '../../scripts/dev-setup';
import { demoDepartments, demoProductGenerator, seedDemoCatalog } from '../../scripts/stack/demo-catalog';
import { DEMO_IMAGE_SIZE, demoImagePixels, demoProductImage } from '../../scripts/stack/demo-catalog/images';
import { crc32, encodePng } from '../../scripts/stack/demo-catalog/png';
import { countMissingDemoImages, demoImageFileId, type ImageBucket, seedDemoImages } from '../../scripts/stack/demo-images';
import { migrateDatabase } from '../../scripts/stack/migrate';
import { startEmbeddedPostgres, type PostgresHandle } from '../../scripts/stack/postgres';
import { DEMO_SELLERS, seedDemoData } from '../../scripts/stack/seed';

interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  chunks: string[];
  /** RGB, rows top to bottom, filters undone. */
  pixels: Uint8Array;
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** An independent PNG reader for 8-bit RGB: checks the signature and every chunk's CRC, inflates IDAT and undoes the five filters. */
function decodePng(png: Uint8Array): DecodedPng {
  const buf = Buffer.from(png);
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  let offset = 8;
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    expect(buf.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(buf.subarray(offset + 4, offset + 8 + length)));
    chunks.push(type);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(offset).toBe(buf.length);
  if (!header) throw new Error('no IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3;
  expect(raw.length).toBe((stride + 1) * height);
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 3 ? pixels[y * stride + x - 3]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= 3 && y > 0 ? pixels[(y - 1) * stride + x - 3]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`row ${y}: unknown filter ${filter}`);
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, bitDepth: header[8]!, colourType: header[9]!, chunks, pixels };
}

const phone = { slug: 'apple-iphone-16-pro-smartphone-10004s', department: 'electronics', category: 'smartphones' };

describe('demo product images', () => {
  it('are valid PNGs: signature, IHDR, CRCs, and IDAT inflating to the drawn pixels', () => {
    const png = demoProductImage(phone);
    const decoded = decodePng(png);
    expect(decoded).toMatchObject({ width: DEMO_IMAGE_SIZE, height: DEMO_IMAGE_SIZE, bitDepth: 8, colourType: 2 });
    expect(decoded.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(Buffer.from(decoded.pixels).equals(Buffer.from(demoImagePixels(phone)))).toBe(true);
    // Small enough to seed hundreds quickly, big enough to be a real picture.
    expect(png.length).toBeGreaterThan(1_000);
    expect(png.length).toBeLessThan(60_000);
  });

  it('encode any size, and a corrupted byte breaks the CRC', () => {
    const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
    const png = encodePng(5, 3, rgb);
    expect(decodePng(png)).toMatchObject({ width: 5, height: 3 });
    expect(Buffer.from(decodePng(png).pixels).equals(Buffer.from(rgb))).toBe(true);
    const broken = Uint8Array.from(png);
    broken[20] = broken[20]! ^ 0xff; // inside IHDR's data
    expect(() => decodePng(broken)).toThrow(/CRC of IHDR/);
    expect(() => encodePng(5, 3, rgb.subarray(1))).toThrow(RangeError);
  });

  it('are deterministic', () => {
    const a = demoProductImage(phone);
    const b = demoProductImage({ ...phone });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('differ between products, and carry their department colour', () => {
    const generate = demoProductGenerator(1);
    const departments = demoDepartments();
    const hashes = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const p = generate(i);
      const png = demoProductImage({ slug: p.slug, department: departments.get(p.categorySlug)!, category: p.categorySlug });
      hashes.add(createHash('sha256').update(png).digest('hex'));
    }
    expect(hashes.size).toBe(40);
    // The same slug in another department: another colour.
    const mean = (px: Uint8Array, channel: number) => {
      let sum = 0;
      for (let i = channel; i < px.length; i += 3) sum += px[i]!;
      return sum / (px.length / 3);
    };
    const blue = demoImagePixels(phone);
    const green = demoImagePixels({ ...phone, department: 'sports-outdoors' });
    expect(mean(blue, 2)).toBeGreaterThan(mean(blue, 1));
    expect(mean(green, 1)).toBeGreaterThan(mean(green, 2));
  });
});

describe('wranglerBucketName', () => {
  it('reads the top-level bucket of a binding, not an environment’s', () => {
    const toml = [
      '[vars]',
      'A = "1"',
      '[[r2_buckets]]',
      'binding = "OTHER"',
      'bucket_name = "other-dev"',
      '[[r2_buckets]]',
      'bucket_name = "files-dev"',
      'binding = "FILES"',
      '[[queues.producers]]',
      'binding = "Q"',
      '[[env.staging.r2_buckets]]',
      'binding = "FILES"',
      'bucket_name = "files-staging"',
    ].join('\n');
    expect(wranglerBucketName(toml, 'FILES')).toBe('files-dev');
    expect(wranglerBucketName(toml, 'OTHER')).toBe('other-dev');
    expect(wranglerBucketName(toml, 'NONE')).toBeUndefined();
  });
});

/** An R2 bucket in memory, counting writes. */
function memoryBucket() {
  const objects = new Map<string, { bytes: Uint8Array; contentType: string; sha256: string }>();
  let puts = 0;
  const bucket: ImageBucket = {
    async put(key, value, options) {
      puts += 1;
      objects.set(key, { bytes: value, contentType: options.httpMetadata.contentType, sha256: options.sha256 });
      return {};
    },
    async list({ prefix }) {
      return { objects: [...objects.keys()].filter((k) => k.startsWith(prefix)).map((key) => ({ key })), truncated: false };
    },
  };
  return { bucket, objects, puts: () => puts };
}

describe('seedDemoImages', () => {
  let db: PostgresHandle;
  const query = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<T>(text, params)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    db = await startEmbeddedPostgres();
    await migrateDatabase(db.url);
    await seedDemoData(db.url);
    await seedDemoCatalog(db.url, { products: 30 });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  const r2 = memoryBucket();

  it('stores each product’s image as an upload of its seller, attached and listed first', async () => {
    expect(await countMissingDemoImages(db.url, { products: 30 })).toBe(30);
    const added = await seedDemoImages(db.url, r2.bucket, { products: 30 });
    expect(added.images).toBe(30);
    expect(added.objects).toBe(30);
    expect(r2.objects.size).toBe(30);
    expect(await countMissingDemoImages(db.url, { products: 30 })).toBe(0);

    const rows = await query<{ images: string[]; seller_id: string; owner_id: string; file_id: string; position: number; object_key: string; sha256: string; size: string; visibility: string; content_type: string; filename: string; slug: string }>(
      `select p.images, p.seller_id, p.slug, f.owner_id, f.id as file_id, pi.position, f.object_key, f.sha256, f.size::text, f.visibility, f.content_type, f.filename
       from products p join product_images pi on pi.product_id = p.id join files f on f.id = pi.file_id`,
    );
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      expect(row.images).toEqual([`/api/v1/files/${row.file_id}`]);
      expect(row).toMatchObject({ owner_id: row.seller_id, position: 0, visibility: 'public', content_type: 'image/png', filename: `${row.slug}.png` });
      // Content-addressed like an upload (workers/files/objects.ts), and the object is those bytes.
      expect(row.object_key).toBe(`objects/${row.sha256}`);
      const object = r2.objects.get(row.object_key)!;
      expect(object.contentType).toBe('image/png');
      expect(createHash('sha256').update(object.bytes).digest('hex')).toBe(row.sha256);
      expect(object.bytes.length).toBe(Number(row.size));
      expect(decodePng(object.bytes).width).toBe(DEMO_IMAGE_SIZE);
    }
    // Several sellers own images (their products').
    expect(new Set(rows.map((r) => r.owner_id)).size).toBeGreaterThan(1);
    expect(new Set(rows.map((r) => r.owner_id)).size).toBeLessThanOrEqual(DEMO_SELLERS.length);
  }, 60_000);

  it('changes nothing when run again', async () => {
    const before = await query<{ digest: string }>(
      `select md5(string_agg(concat_ws('|', p.id, p.images::text, p.updated_at, f.id, f.created_at), ',' order by p.id)) as digest
       from products p left join product_images pi on pi.product_id = p.id left join files f on f.id = pi.file_id`,
    );
    const puts = r2.puts();
    expect(await seedDemoImages(db.url, r2.bucket, { products: 30 })).toEqual({ images: 0, objects: 0 });
    expect(r2.puts()).toBe(puts);
    const after = await query<{ digest: string }>(
      `select md5(string_agg(concat_ws('|', p.id, p.images::text, p.updated_at, f.id, f.created_at), ',' order by p.id)) as digest
       from products p left join product_images pi on pi.product_id = p.id left join files f on f.id = pi.file_id`,
    );
    expect(after).toEqual(before);
  }, 60_000);

  it('writes the objects again into an emptied bucket, adding no rows', async () => {
    const empty = memoryBucket();
    expect(await seedDemoImages(db.url, empty.bucket, { products: 30 })).toEqual({ images: 0, objects: 30 });
    expect([...empty.objects.keys()].sort()).toEqual([...r2.objects.keys()].sort());
    expect((await query<{ n: number }>('select count(*)::int as n from files'))[0]!.n).toBe(30);
  }, 60_000);

  it('leaves alone a product whose demo image was removed, and new products get theirs', async () => {
    const generate = demoProductGenerator();
    const first = generate(0);
    // As DELETE /products/{id}/images/{fileId} does: the row goes, the file is soft-deleted.
    await query('delete from product_images where product_id = $1', [first.id]);
    await query("update files set deleted_at = now() where id = $1", [demoImageFileId(first)]);
    await query(`update products set images = '[]' where id = $1`, [first.id]);
    await seedDemoCatalog(db.url, { products: 35 });
    expect(await countMissingDemoImages(db.url, { products: 35 })).toBe(5);
    expect(await seedDemoImages(db.url, r2.bucket, { products: 35 })).toMatchObject({ images: 5 });
    const [row] = await query<{ images: string[] }>('select images from products where id = $1', [first.id]);
    expect(row!.images).toEqual([]);
  }, 60_000);
});

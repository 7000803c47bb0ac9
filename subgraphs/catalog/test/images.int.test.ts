import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  insertProducts,
  rowStatements,
  startCatalogHarness,
  type CatalogHarness,
} from './helpers.ts';

let harness: CatalogHarness;

beforeAll(async () => {
  harness = await startCatalogHarness();
});
afterAll(async () => {
  await harness?.close();
});

type UserErrors = Array<{ field: string[]; code: string }>;
interface Image {
  id: string;
  url: string;
  altText: string;
  position: number;
}
type Payload = { product: { images: Image[] } | null; userErrors: UserErrors };

const IMAGES = 'product { images { id url altText position } } userErrors { field code }';

async function add(productId: string, input: Record<string, unknown>): Promise<Payload> {
  const result = await harness.graphql<{ addProductImage: Payload }>(
    `mutation($productId: ID!, $input: AddProductImageInput!) { addProductImage(productId: $productId, input: $input) { ${IMAGES} } }`,
    { productId, input },
    ADMIN,
  );
  return result.data!.addProductImage;
}

const urls = (payload: Payload) => payload.product!.images.map((image) => image.url);

describe('product images', () => {
  it('adds at a position, removes and reorders, positions always 0, 1, ...', async () => {
    const [productId] = await insertProducts(harness.db, [{ sku: 'IMG-1' }]);
    await add(productId!, { url: 'https://cdn.example.com/front.jpg', altText: 'Front' });
    await add(productId!, { url: 'https://cdn.example.com/back.jpg' });
    const inserted = await add(productId!, {
      url: 'https://cdn.example.com/side.jpg',
      altText: ' Side view ',
      position: 1,
    });
    expect(inserted.userErrors).toEqual([]);
    expect(inserted.product!.images).toEqual([
      {
        id: expect.any(String),
        url: 'https://cdn.example.com/front.jpg',
        altText: 'Front',
        position: 0,
      },
      {
        id: expect.any(String),
        url: 'https://cdn.example.com/side.jpg',
        altText: 'Side view',
        position: 1,
      },
      { id: expect.any(String), url: 'https://cdn.example.com/back.jpg', altText: '', position: 2 },
    ]);
    const [front, side, back] = inserted.product!.images;

    const reordered = await harness.graphql<{ reorderProductImages: Payload }>(
      `mutation($productId: ID!, $imageIds: [ID!]!) { reorderProductImages(productId: $productId, imageIds: $imageIds) { ${IMAGES} } }`,
      { productId, imageIds: [back!.id, front!.id, side!.id] },
      ADMIN,
    );
    expect(urls(reordered.data!.reorderProductImages)).toEqual([back!.url, front!.url, side!.url]);

    const removed = await harness.graphql<{ removeProductImage: Payload }>(
      `mutation($id: ID!) { removeProductImage(id: $id) { ${IMAGES} } }`,
      { id: front!.id },
      ADMIN,
    );
    expect(
      removed.data!.removeProductImage.product!.images.map((image) => [image.url, image.position]),
    ).toEqual([
      [back!.url, 0],
      [side!.url, 1],
    ]);
    // The product page read still costs one statement, images included (once the rows kept
    // under the current version are forgotten by the next write).
    await harness.db.category.create({ data: { slug: `images-${Date.now()}`, name: 'Elsewhere' } });
    harness.statements.length = 0;
    const page = await harness.graphql<{ product: { images: Image[] } }>(
      'query($id: ID!) { product(id: $id) { images { url } variants { sku } category { slug } } }',
      { id: productId },
    );
    expect(page.data?.product.images).toHaveLength(2);
    expect(rowStatements(harness.statements)).toHaveLength(1);
    expect(
      await harness.db.outboxEvent.count({
        where: { aggregateId: productId!, type: 'ProductChanged' },
      }),
    ).toBe(5);
  });

  it('refuses bad URLs, long alt text, bad positions, unknown ids and wrong orders, changing nothing', async () => {
    const [productId] = await insertProducts(harness.db, [{ sku: 'IMG-2' }]);
    const first = await add(productId!, { url: 'https://cdn.example.com/a.jpg' });
    const imageId = first.product!.images[0]!.id;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'not a url' }, 'INVALID_IMAGE_URL'],
      [{ url: 'javascript:alert(1)' }, 'INVALID_IMAGE_URL'],
      [{ url: `https://cdn.example.com/${'x'.repeat(2048)}` }, 'INVALID_IMAGE_URL'],
      [{ url: 'https://cdn.example.com/b.jpg', altText: 'x'.repeat(513) }, 'INVALID_ALT_TEXT'],
      [{ url: 'https://cdn.example.com/b.jpg', position: -1 }, 'INVALID_IMAGE_POSITION'],
    ];
    for (const [input, code] of cases) {
      const refused = await add(productId!, input);
      expect(refused.product).toBeNull();
      expect(refused.userErrors.map((error) => error.code)).toEqual([code]);
    }
    expect((await add(randomUUID(), { url: 'https://cdn.example.com/b.jpg' })).userErrors).toEqual([
      { field: ['productId'], code: 'PRODUCT_NOT_FOUND' },
    ]);
    for (const imageIds of [[], [imageId, imageId], [randomUUID()]]) {
      const refused = await harness.graphql<{ reorderProductImages: Payload }>(
        `mutation($productId: ID!, $imageIds: [ID!]!) { reorderProductImages(productId: $productId, imageIds: $imageIds) { ${IMAGES} } }`,
        { productId, imageIds },
        ADMIN,
      );
      expect(refused.data!.reorderProductImages.userErrors.map((error) => error.code)).toEqual([
        'INVALID_IMAGE_ORDER',
      ]);
    }
    const missing = await harness.graphql<{ removeProductImage: Payload }>(
      `mutation($id: ID!) { removeProductImage(id: $id) { ${IMAGES} } }`,
      { id: randomUUID() },
      ADMIN,
    );
    expect(missing.data!.removeProductImage.userErrors).toEqual([
      { field: ['id'], code: 'IMAGE_NOT_FOUND' },
    ]);
    expect(await harness.db.productImage.count({ where: { productId: productId! } })).toBe(1);
  });
});

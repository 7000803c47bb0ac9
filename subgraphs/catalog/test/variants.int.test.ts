import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, type DomainEvent } from '@microshop/events';
import { ProductRepository } from '../src/product.repository.ts';
import { StockService } from '../src/stock.service.ts';
import {
  ADMIN,
  insertProducts,
  rowStatements,
  silentLogger,
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

const PRODUCT_FIELDS = /* GraphQL */ `
  id
  price { amount }
  stock
  inStock
  options { name values }
  variants { id sku title selectedOptions { name value } price { amount currency } stock }
`;
const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { ${PRODUCT_FIELDS} } userErrors { field code } } }`;
const CREATE_VARIANT = `mutation($productId: ID!, $input: CreateProductVariantInput!) {
  createProductVariant(productId: $productId, input: $input) {
    variant { id sku title selectedOptions { name value } price { amount } stock product { id } }
    userErrors { field code }
  } }`;
const UPDATE_VARIANT = `mutation($id: ID!, $input: UpdateProductVariantInput!) {
  updateProductVariant(id: $id, input: $input) { variant { id sku title price { amount } } userErrors { field code } } }`;
const ADJUST = `mutation($productId: ID!, $variantId: ID, $delta: Int!) {
  adjustStock(productId: $productId, variantId: $variantId, delta: $delta) { product { stock } userErrors { field code } } }`;
const PRODUCT = `query($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`;

interface VariantView {
  id: string;
  sku: string;
  title: string;
  selectedOptions: Array<{ name: string; value: string }>;
  price: { amount: number; currency?: string };
  stock: number;
}
interface ProductView {
  id: string;
  price: { amount: number };
  stock: number;
  inStock: boolean;
  options: Array<{ name: string; values: string[] }>;
  variants: VariantView[];
}
type UserErrors = Array<{ field: string[]; code: string }>;
type VariantPayload = { variant: VariantView | null; userErrors: UserErrors };

async function createShirt(sku: string): Promise<ProductView> {
  const result = await harness.graphql<{
    createProduct: { product: ProductView; userErrors: UserErrors };
  }>(
    CREATE,
    {
      input: {
        sku,
        name: 'Shirt',
        description: 'A shirt.',
        priceAmount: 2500,
        currency: 'EUR',
        initialStock: 4,
        variantOptions: [
          { name: 'Colour', value: 'Red' },
          { name: 'Size', value: 'M' },
        ],
      },
    },
    ADMIN,
  );
  expect(result.data?.createProduct.userErrors).toEqual([]);
  return result.data!.createProduct.product;
}

const addVariant = async (productId: string, input: Record<string, unknown>) =>
  (
    await harness.graphql<{ createProductVariant: VariantPayload }>(
      CREATE_VARIANT,
      { productId, input: { priceAmount: 2000, initialStock: 1, ...input } },
      ADMIN,
    )
  ).data!.createProductVariant;

const readProduct = async (id: string) =>
  (await harness.graphql<{ product: ProductView }>(PRODUCT, { id })).data!.product;

describe('variants', () => {
  it('gives a product variants of its own sku, options, price and stock; the product shows the lowest price and the total stock', async () => {
    const shirt = await createShirt('SHIRT-A');
    expect(shirt.variants).toEqual([
      {
        id: expect.any(String),
        sku: 'SHIRT-A',
        title: 'Red / M',
        selectedOptions: [
          { name: 'Colour', value: 'Red' },
          { name: 'Size', value: 'M' },
        ],
        price: { amount: 2500, currency: 'EUR' },
        stock: 4,
      },
    ]);
    // Names in another order and case are placed in the product's option order.
    const blue = await addVariant(shirt.id, {
      sku: 'SHIRT-A-BLUE-L',
      options: [
        { name: 'size', value: 'L' },
        { name: 'colour', value: 'Blue' },
      ],
      priceAmount: 1900,
      initialStock: 2,
    });
    expect(blue.userErrors).toEqual([]);
    expect(blue.variant).toMatchObject({
      sku: 'SHIRT-A-BLUE-L',
      title: 'Blue / L',
      selectedOptions: [
        { name: 'Colour', value: 'Blue' },
        { name: 'Size', value: 'L' },
      ],
      price: { amount: 1900 },
      stock: 2,
      product: { id: shirt.id },
    });
    const product = await readProduct(shirt.id);
    expect(product).toMatchObject({ price: { amount: 1900 }, stock: 6, inStock: true });
    expect(product.options).toEqual([
      { name: 'Colour', values: ['Red', 'Blue'] },
      { name: 'Size', values: ['M', 'L'] },
    ]);
    expect(product.variants.map((variant) => variant.sku)).toEqual(['SHIRT-A', 'SHIRT-A-BLUE-L']);

    // Repricing a variant moves the product's (lowest) price in the same transaction.
    const repriced = await harness.graphql<{ updateProductVariant: VariantPayload }>(
      UPDATE_VARIANT,
      { id: blue.variant!.id, input: { priceAmount: 3000 } },
      ADMIN,
    );
    expect(repriced.data?.updateProductVariant.userErrors).toEqual([]);
    expect((await readProduct(shirt.id)).price).toEqual({ amount: 2500 });
    const events = await harness.db.outboxEvent.count({
      where: { aggregateId: shirt.id, type: 'ProductChanged' },
    });
    expect(events).toBe(3); // created, variant added, variant repriced
  });

  it('refuses bad, mismatched and taken options and taken skus with typed userErrors, writing nothing', async () => {
    const shirt = await createShirt('SHIRT-B');
    const before = await harness.db.productVariant.count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ sku: 'SHIRT-B-2', options: [{ name: 'Colour', value: '' }] }, 'INVALID_OPTIONS'],
      [
        {
          sku: 'SHIRT-B-2',
          options: [
            { name: 'Colour', value: 'Red' },
            { name: 'colour', value: 'Blue' },
          ],
        },
        'INVALID_OPTIONS',
      ],
      [{ sku: 'SHIRT-B-2', options: [{ name: 'Colour', value: 'Red' }] }, 'OPTIONS_MISMATCH'],
      [
        {
          sku: 'SHIRT-B-2',
          options: [
            { name: 'Colour', value: 'red' },
            { name: 'Size', value: 'm' },
          ],
        },
        'OPTIONS_TAKEN',
      ],
      [
        {
          sku: 'SHIRT-B',
          options: [
            { name: 'Colour', value: 'Red' },
            { name: 'Size', value: 'L' },
          ],
        },
        'SKU_TAKEN',
      ],
      [
        { sku: 'bad sku!', options: [{ name: 'Colour', value: 'Red' }], priceAmount: -1 },
        'INVALID_SKU',
      ],
    ];
    for (const [input, code] of cases) {
      const refused = await addVariant(shirt.id, input);
      expect(refused.variant).toBeNull();
      expect(refused.userErrors.map((error) => error.code)).toContain(code);
    }
    const unknown = await addVariant(randomUUID(), {
      sku: 'NOWHERE-1',
      options: [{ name: 'Colour', value: 'Red' }],
    });
    expect(unknown.userErrors.map((error) => error.code)).toEqual(['PRODUCT_NOT_FOUND']);
    expect(await harness.db.productVariant.count()).toBe(before);
  });

  it('turns a product from before variants into a multi-variant one: options on its variant first, then more', async () => {
    const [legacy] = await insertProducts(harness.db, [{ sku: 'MUG-OLD', onHand: 3 }]);
    const early = await addVariant(legacy!, {
      sku: 'MUG-OLD-BLUE',
      options: [{ name: 'Colour', value: 'Blue' }],
    });
    expect(early.userErrors.map((error) => error.code)).toEqual(['OPTIONS_MISMATCH']);
    const named = await harness.graphql<{ updateProductVariant: VariantPayload }>(
      UPDATE_VARIANT,
      { id: legacy, input: { options: [{ name: 'Colour', value: 'White' }] } },
      ADMIN,
    );
    expect(named.data?.updateProductVariant).toEqual({
      variant: { id: legacy, sku: 'MUG-OLD', title: 'White', price: { amount: 1000 } },
      userErrors: [],
    });
    const blue = await addVariant(legacy!, {
      sku: 'MUG-OLD-BLUE',
      options: [{ name: 'Colour', value: 'Blue' }],
    });
    expect(blue.userErrors).toEqual([]);
    expect((await readProduct(legacy!)).options).toEqual([
      { name: 'Colour', values: ['White', 'Blue'] },
    ]);
  });

  it('adjusts the stock of the named variant, or of the only one; VARIANT_REQUIRED and VARIANT_NOT_FOUND otherwise', async () => {
    const [single, other] = await insertProducts(harness.db, [
      { sku: 'ADJ-SINGLE', onHand: 2 },
      { sku: 'ADJ-OTHER', onHand: 2 },
    ]);
    const adjust = async (variables: Record<string, unknown>) =>
      (
        await harness.graphql<{
          adjustStock: { product: { stock: number } | null; userErrors: UserErrors };
        }>(ADJUST, variables, ADMIN)
      ).data!.adjustStock;
    expect(await adjust({ productId: single, delta: 3 })).toEqual({
      product: { stock: 5 },
      userErrors: [],
    });

    const shirt = await createShirt('SHIRT-C');
    const large = await addVariant(shirt.id, {
      sku: 'SHIRT-C-L',
      options: [
        { name: 'Colour', value: 'Red' },
        { name: 'Size', value: 'L' },
      ],
    });
    expect(await adjust({ productId: shirt.id, delta: 1 })).toEqual({
      product: null,
      userErrors: [{ field: ['variantId'], code: 'VARIANT_REQUIRED' }],
    });
    expect(await adjust({ productId: shirt.id, variantId: other, delta: 1 })).toEqual({
      product: null,
      userErrors: [{ field: ['variantId'], code: 'VARIANT_NOT_FOUND' }],
    });
    expect(await adjust({ productId: shirt.id, variantId: large.variant!.id, delta: 5 })).toEqual({
      product: { stock: 4 + 1 + 5 },
      userErrors: [],
    });
    expect(
      await harness.db.productVariant.findUniqueOrThrow({ where: { id: large.variant!.id } }),
    ).toMatchObject({ onHand: 6, reserved: 0 });
  });

  it('resolves ProductVariant references and a product with its variants in one SQL statement', async () => {
    const shirt = await createShirt('SHIRT-D');
    harness.statements.length = 0;
    const product = await harness.graphql<{ product: ProductView }>(PRODUCT, { id: shirt.id });
    expect(product.data?.product.variants).toHaveLength(1);
    expect(rowStatements(harness.statements)).toHaveLength(1);

    const references = await harness.graphql<{
      _entities: Array<{ id: string; sku: string; price: { amount: number } } | null>;
    }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on ProductVariant { id sku price { amount } } } }`,
      {
        r: [
          { __typename: 'ProductVariant', id: shirt.variants[0]!.id },
          { __typename: 'ProductVariant', id: randomUUID() },
        ],
      },
    );
    expect(references.data?._entities).toEqual([
      { id: shirt.variants[0]!.id, sku: 'SHIRT-D', price: { amount: 2500 } },
      null,
    ]);
  });
});

describe('reservations per variant', () => {
  const stock = () => new StockService(new ProductRepository(harness.db), silentLogger);
  const orderPlaced = (
    productId: string,
    variantId: string | undefined,
    quantity = 1,
  ): DomainEvent<'OrderPlaced'> => {
    const orderId = randomUUID();
    return createEvent('OrderPlaced', orderId, {
      orderId,
      userId: randomUUID(),
      items: [
        {
          productId,
          ...(variantId ? { variantId } : {}),
          quantity,
          unitPrice: { amount: 1000, currency: 'EUR' },
          productName: 'Shirt',
        },
      ],
      total: { amount: 1000 * quantity, currency: 'EUR' },
      paymentToken: 'tok_visa',
    });
  };
  const reserve = (event: DomainEvent<'OrderPlaced'>) =>
    harness.db.$transaction((tx) => stock().reserveForOrder(tx, event), {
      maxWait: 60_000,
      timeout: 60_000,
    });

  it('never oversells one variant under concurrency and leaves its siblings alone', async () => {
    const shirt = await createShirt('SHIRT-E');
    const [red] = shirt.variants;
    const blue = await addVariant(shirt.id, {
      sku: 'SHIRT-E-BLUE',
      options: [
        { name: 'Colour', value: 'Blue' },
        { name: 'Size', value: 'M' },
      ],
      initialStock: 3,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => reserve(orderPlaced(shirt.id, red!.id))),
    );
    expect(outcomes.filter((outcome) => outcome.kind === 'reserved')).toHaveLength(4);
    expect(
      await harness.db.productVariant.findUniqueOrThrow({ where: { id: red!.id } }),
    ).toMatchObject({ onHand: 4, reserved: 4 });
    expect(
      await harness.db.productVariant.findUniqueOrThrow({ where: { id: blue.variant!.id } }),
    ).toMatchObject({ onHand: 3, reserved: 0 });
    // A rejection names the variant it could not serve.
    const rejected = outcomes.find((outcome) => outcome.kind === 'rejected');
    expect(rejected).toEqual({
      kind: 'rejected',
      unavailable: [{ productId: shirt.id, variantId: red!.id, requested: 1, available: 0 }],
    });
  });

  it("rejects a variant named under another product, and reads a line without variantId as the product's own-id variant", async () => {
    const [legacy, other] = await insertProducts(harness.db, [
      { sku: 'LEGACY-RES', onHand: 2 },
      { sku: 'OTHER-RES', onHand: 2 },
    ]);
    expect((await reserve(orderPlaced(legacy!, undefined, 2))).kind).toBe('reserved');
    expect(
      await harness.db.productVariant.findUniqueOrThrow({ where: { id: legacy! } }),
    ).toMatchObject({ reserved: 2 });
    expect((await reserve(orderPlaced(legacy!, other!))).kind).toBe('rejected');
    expect(
      await harness.db.productVariant.findUniqueOrThrow({ where: { id: other! } }),
    ).toMatchObject({ reserved: 0 });
  });
});

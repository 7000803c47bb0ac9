import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  createProduct,
  graphql,
  placeOrder,
  signUpUser,
  waitFor,
  type SignedUpUser,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/**
 * The catalog as a storefront meets it through the gateway, every service running on real
 * backends: products with variants bought through the whole saga, the race for a variant's last
 * units, what a bad variant choice is answered with, a search by options of one variant; the category tree, sorted listings and a
 * faceted search over variant options.
 */

let stack: Stack;
let adminToken: string;

beforeAll(async () => {
  stack = await startStack();
  adminToken = (await signInAdmin(stack)).accessToken;
});

afterAll(async () => {
  await stack?.close();
});

interface VariantView {
  id: string;
  sku: string;
  title: string;
  price: { amount: number };
  stock: number;
}

async function admin<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await graphql<T>(stack.gatewayUrl, query, variables, adminToken);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** A shirt in Red/M (the product's first variant, 25.00, `redStock`) and Blue/L (19.00, `blueStock`). */
async function newShirt(redStock: number, blueStock: number) {
  const productId = await createProduct(stack, adminToken, {
    name: 'Variant shirt',
    priceAmount: 2500,
    initialStock: redStock,
    variantOptions: [
      { name: 'Colour', value: 'Red' },
      { name: 'Size', value: 'M' },
    ],
  });
  const created = await admin<{
    createProductVariant: { variant: VariantView | null; userErrors: unknown[] };
  }>(
    `mutation($productId: ID!, $input: CreateProductVariantInput!) {
      createProductVariant(productId: $productId, input: $input) {
        variant { id sku title price { amount } stock } userErrors { code }
      } }`,
    {
      productId,
      input: {
        sku: `SHIRT-BLUE-${randomUUID()}`,
        options: [
          { name: 'Colour', value: 'Blue' },
          { name: 'Size', value: 'L' },
        ],
        priceAmount: 1900,
        initialStock: blueStock,
      },
    },
  );
  expect(created.createProductVariant.userErrors).toEqual([]);
  const product = await readProduct(productId);
  return {
    productId,
    red: product.variants[0]!,
    blue: created.createProductVariant.variant!,
  };
}

async function readProduct(id: string) {
  const response = await graphql<{
    product: {
      price: { amount: number };
      stock: number;
      variants: VariantView[];
    };
  }>(
    stack.gatewayUrl,
    'query($id: ID!) { product(id: $id) { price { amount } stock variants { id sku title price { amount } stock } } }',
    { id },
  );
  return response.data!.product;
}

const variantStock = async (productId: string, variantId: string) =>
  (await readProduct(productId)).variants.find((variant) => variant.id === variantId)!.stock;

const ORDER = `query($id: ID!) { order(id: $id) {
  status total { amount }
  items { product { id name } productName variant { id sku title stock } variantSku variantTitle
          selectedOptions { name value } unitPrice { amount } quantity }
} }`;

async function settledOrder(user: SignedUpUser, orderId: string) {
  return waitFor(
    `order ${orderId} to settle`,
    async () => {
      const response = await graphql<{
        order: {
          status: string;
          total: { amount: number };
          items: Array<Record<string, unknown>>;
        } | null;
      }>(stack.gatewayUrl, ORDER, { id: orderId }, user.accessToken);
      const order = response.data?.order;
      return order && order.status !== 'PENDING' ? order : undefined;
    },
    120_000,
  );
}

describe('product variants through the gateway', () => {
  it('buys a variant through the whole saga: the order line records it, its stock alone is reserved', async () => {
    const shirt = await newShirt(5, 3);
    expect(await readProduct(shirt.productId)).toMatchObject({
      price: { amount: 1900 }, // the lowest variant price
      stock: 8, // the total available
    });
    const buyer = await signUpUser(stack);
    await addToCart(stack, buyer.accessToken, shirt.productId, 2, shirt.blue.id);
    const cart = await graphql<{
      cart: {
        items: Array<{ variant: { sku: string; title: string }; quantity: number }>;
        subtotal: { amount: number };
      };
    }>(
      stack.gatewayUrl,
      '{ cart { items { variant { sku title } quantity } subtotal { amount } } }',
      {},
      buyer.accessToken,
    );
    expect(cart.data?.cart).toEqual({
      items: [{ variant: { sku: shirt.blue.sku, title: 'Blue / L' }, quantity: 2 }],
      subtotal: { amount: 3800 },
    });

    const orderId = await placeOrder(stack, buyer.accessToken, { attempts: 3 });
    const order = await settledOrder(buyer, orderId);
    expect(order.status).toBe('CONFIRMED');
    expect(order.total).toEqual({ amount: 3800 });
    expect(order.items).toEqual([
      {
        product: { id: shirt.productId, name: 'Variant shirt' },
        productName: 'Variant shirt',
        variant: { id: shirt.blue.id, sku: shirt.blue.sku, title: 'Blue / L', stock: 1 },
        variantSku: shirt.blue.sku,
        variantTitle: 'Blue / L',
        selectedOptions: [
          { name: 'Colour', value: 'Blue' },
          { name: 'Size', value: 'L' },
        ],
        unitPrice: { amount: 1900 },
        quantity: 2,
      },
    ]);
    expect(await variantStock(shirt.productId, shirt.red.id)).toBe(5);
    // The cart gave up the ordered units.
    await waitFor('the cart to be emptied', async () => {
      const after = await graphql<{ cart: { items: unknown[] } }>(
        stack.gatewayUrl,
        '{ cart { items { quantity } } }',
        {},
        buyer.accessToken,
      );
      return after.data?.cart.items.length === 0 ? true : undefined;
    });
  });

  it("sells a variant's last 3 units to exactly 3 of 9 concurrent buyers; the sibling variant keeps its stock", async () => {
    const shirt = await newShirt(20, 3);
    const buyers = await Promise.all(Array.from({ length: 9 }, () => signUpUser(stack)));
    await Promise.all(
      buyers.map((buyer) => addToCart(stack, buyer.accessToken, shirt.productId, 1, shirt.blue.id)),
    );
    const orderIds = await Promise.all(
      buyers.map((buyer) => placeOrder(stack, buyer.accessToken, { attempts: 3 })),
    );
    const orders = await Promise.all(
      orderIds.map((orderId, index) => settledOrder(buyers[index]!, orderId)),
    );
    expect(orders.filter((order) => order.status === 'CONFIRMED')).toHaveLength(3);
    expect(orders.filter((order) => order.status === 'CANCELLED')).toHaveLength(6);
    expect(await variantStock(shirt.productId, shirt.blue.id)).toBe(0);
    expect(await variantStock(shirt.productId, shirt.red.id)).toBe(20);
    expect(
      await stack.db.prisma.productVariant.findUniqueOrThrow({ where: { id: shirt.blue.id } }),
    ).toMatchObject({ onHand: 3, reserved: 3 });
  }, 300_000);

  it('answers a missing or unknown variant with typed userErrors and changes nothing', async () => {
    const shirt = await newShirt(5, 5);
    const single = await createProduct(stack, adminToken, { initialStock: 5 });
    const buyer = await signUpUser(stack);
    const add = async (productId: string, variantId?: string) => {
      const response = await graphql<{
        addToCart: { cart: { items: unknown[] }; userErrors: Array<{ errorCode: string }> };
      }>(
        stack.gatewayUrl,
        `
          mutation ($productId: ID!, $variantId: ID) {
            addToCart(productId: $productId, variantId: $variantId, quantity: 1) {
              cart {
                items {
                  quantity
                }
              }
              userErrors {
                errorCode
                field
              }
            }
          }
        `,
        { productId, variantId },
        buyer.accessToken,
      );
      expect(response.errors).toBeUndefined();
      return response.data!.addToCart;
    };
    expect(await add(shirt.productId)).toEqual({
      cart: { items: [] },
      userErrors: [{ errorCode: 'VARIANT_REQUIRED', field: ['variantId'] }],
    });
    expect(await add(shirt.productId, randomUUID())).toEqual({
      cart: { items: [] },
      userErrors: [{ errorCode: 'VARIANT_NOT_FOUND', field: ['variantId'] }],
    });
    expect(await add(single, shirt.red.id)).toEqual({
      cart: { items: [] },
      userErrors: [{ errorCode: 'VARIANT_NOT_FOUND', field: ['variantId'] }],
    });
    // A single-variant product needs no variantId: every client from before variants still works.
    expect((await add(single)).userErrors).toEqual([]);

    const adjust = await admin<{ adjustStock: { userErrors: Array<{ errorCode: string }> } }>(
      'mutation($id: ID!) { adjustStock(productId: $id, delta: 5) { userErrors { errorCode } } }',
      { id: shirt.productId },
    );
    expect(adjust.adjustStock.userErrors).toEqual([{ errorCode: 'VARIANT_REQUIRED' }]);
    expect(await readProduct(shirt.productId)).toMatchObject({ stock: 10 });
  });

  it('finds a product by several options only when one variant has them all', async () => {
    const shirt = await newShirt(1, 1);
    const search = async (colour: string, size: string) => {
      const response = await graphql<{
        searchProducts: { edges: Array<{ node: { id: string } }> };
      }>(
        stack.gatewayUrl,
        `
          query ($options: [SelectedOptionInput!]) {
            searchProducts(query: "variant shirt", first: 50, filter: { options: $options }) {
              edges {
                node {
                  id
                }
              }
            }
          }
        `,
        {
          options: [
            { name: 'Colour', value: colour },
            { name: 'Size', value: size },
          ],
        },
      );
      expect(response.errors).toBeUndefined();
      return response.data!.searchProducts.edges.map((edge) => edge.node.id);
    };
    // Indexed with both variants once Blue/L finds it (the sync writes the whole product).
    await waitFor('the shirt in the search index', async () =>
      (await search('Blue', 'L')).includes(shirt.productId) ? true : undefined,
    );
    expect(await search('Red', 'M')).toContain(shirt.productId);
    // Red and L are both on the shirt, but on different variants.
    expect(await search('Red', 'L')).not.toContain(shirt.productId);
  });
});

describe('categories, sorting and faceted search through the gateway', () => {
  async function createCategory(slug: string, parentSlug?: string) {
    const created = await admin<{ createCategory: { userErrors: unknown[] } }>(
      'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { userErrors { errorCode } } }',
      { input: { slug, name: slug, parentSlug } },
    );
    expect(created.createCategory.userErrors).toEqual([]);
  }

  /** An "Orchard" product in `categorySlug` with one variant per colour, each at `priceAmount`. */
  async function orchardProduct(
    name: string,
    categorySlug: string,
    priceAmount: number,
    colours: string[],
  ) {
    const [first, ...others] = colours;
    const productId = await createProduct(stack, adminToken, {
      name: `Orchard ${name}`,
      categorySlug,
      priceAmount,
      variantOptions: [{ name: 'Colour', value: first! }],
    });
    for (const colour of others) {
      await admin(
        `mutation($productId: ID!, $input: CreateProductVariantInput!) {
          createProductVariant(productId: $productId, input: $input) { userErrors { errorCode } } }`,
        {
          productId,
          input: {
            sku: `ORCHARD-${randomUUID()}`,
            options: [{ name: 'Colour', value: colour }],
            priceAmount,
            initialStock: 5,
          },
        },
      );
    }
    return productId;
  }

  it('shows the tree, lists a category with its descendants in price order, and searches with option facets', async () => {
    await createCategory('outerwear');
    await createCategory('jackets', 'outerwear');
    await createCategory('rain-jackets', 'jackets');
    const cycle = await admin<{ setCategoryParent: { userErrors: Array<{ errorCode: string }> } }>(
      'mutation { setCategoryParent(slug: "outerwear", parentSlug: "rain-jackets") { userErrors { errorCode } } }',
      {},
    );
    expect(cycle.setCategoryParent.userErrors).toEqual([{ errorCode: 'CATEGORY_CYCLE' }]);
    const rainJackets = await graphql<{
      category: { breadcrumbs: Array<{ slug: string }>; parent: { slug: string } };
    }>(
      stack.gatewayUrl,
      '{ category(slug: "rain-jackets") { breadcrumbs { slug } parent { slug } } }',
    );
    expect(rainJackets.data?.category).toEqual({
      breadcrumbs: [{ slug: 'outerwear' }, { slug: 'jackets' }],
      parent: { slug: 'jackets' },
    });

    const parka = await orchardProduct('parka', 'jackets', 12000, ['Red', 'Green']);
    const poncho = await orchardProduct('poncho', 'rain-jackets', 4000, ['Red']);
    const vest = await orchardProduct('vest', 'outerwear', 8000, ['Blue']);

    const image = await admin<{
      addProductImage: { product: { images: Array<{ url: string; altText: string }> } };
    }>(
      `mutation($id: ID!) { addProductImage(productId: $id, input: { url: "https://cdn.example.com/parka.jpg", altText: "Red parka" }) {
        product { images { url altText } } } }`,
      { id: parka },
    );
    expect(image.addProductImage.product.images).toEqual([
      { url: 'https://cdn.example.com/parka.jpg', altText: 'Red parka' },
    ]);

    const listed = await graphql<{ products: { edges: Array<{ node: { id: string } }> } }>(
      stack.gatewayUrl,
      '{ products(filter: { categorySlug: "outerwear" }, sortKey: PRICE, reverse: true) { edges { node { id } } } }',
    );
    expect(listed.data?.products.edges.map((edge) => edge.node.id)).toEqual([parka, vest, poncho]);
    const jackets = await graphql<{ products: { edges: Array<{ node: { id: string } }> } }>(
      stack.gatewayUrl,
      '{ products(filter: { categorySlug: "jackets" }, sortKey: PRICE) { edges { node { id } } } }',
    );
    expect(jackets.data?.products.edges.map((edge) => edge.node.id)).toEqual([poncho, parka]);

    type Search = {
      searchProducts: {
        totalCount: number;
        edges: Array<{ node: { id: string } }>;
        facets: Array<{ name: string; values: Array<{ value: string; count: number }> }>;
      };
    };
    // The search index follows the catalog through ProductChanged: wait until all three are in.
    const all = await waitFor('the products in the search index', async () => {
      const result = await graphql<Search>(
        stack.gatewayUrl,
        '{ searchProducts(query: "orchard", sortKey: NAME) { totalCount edges { node { id } } facets { name values { value count } } } }',
      );
      return result.data?.searchProducts.totalCount === 3 ? result.data.searchProducts : undefined;
    });
    expect(all.edges.map((edge) => edge.node.id)).toEqual([parka, poncho, vest]);
    expect(all.facets.find((facet) => facet.name === 'option:colour')?.values).toEqual([
      { value: 'red', count: 2 },
      { value: 'blue', count: 1 },
      { value: 'green', count: 1 },
    ]);
    const red = await graphql<Search>(
      stack.gatewayUrl,
      `
        {
          searchProducts(
            query: "orchard"
            sortKey: PRICE
            filter: { categorySlug: "jackets", options: [{ name: "Colour", value: "red" }] }
          ) {
            totalCount
            edges {
              node {
                id
              }
            }
            facets {
              name
              values {
                value
                count
              }
            }
          }
        }
      `,
    );
    expect(red.data?.searchProducts.edges.map((edge) => edge.node.id)).toEqual([poncho, parka]);
    expect(
      red.data?.searchProducts.facets.find((facet) => facet.name === 'category')?.values,
    ).toEqual([
      { value: 'jackets', count: 1 },
      { value: 'rain-jackets', count: 1 },
    ]);
  });
});

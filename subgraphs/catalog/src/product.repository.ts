import { queryPrepared, type Db, type Prisma, type Tx } from '@microshop/db';
import { isUuid } from '@microshop/runtime';
import { LISTING_COLUMN, type ListingOrder, type ListingPosition } from './listing-order.ts';

/** A product row as resolvers receive it (the GraphQL mapper of `Product`). */
export interface ProductRecord {
  id: string;
  sku: string;
  name: string;
  description: string;
  /** The lowest price of its variants. */
  priceAmount: number;
  currency: string;
  categoryId: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** One option value of a variant, e.g. `{ name: 'Size', value: 'M' }`. */
export interface SelectedOption {
  name: string;
  value: string;
}

/**
 * A variant row with what it takes from its product (currency, whether it is sold): the GraphQL
 * mapper of `ProductVariant`.
 */
export interface VariantRecord {
  id: string;
  productId: string;
  sku: string;
  selectedOptions: SelectedOption[];
  priceAmount: number;
  currency: string;
  onHand: number;
  reserved: number;
  /** Whether its product is offered for sale. */
  active: boolean;
}

/** A picture of a product (the GraphQL mapper of `ProductImage`). */
export interface ImageRecord {
  id: string;
  productId: string;
  url: string;
  altText: string;
  position: number;
}

/** A product with its category's slug and its variants: what the search index is fed from. */
export type ProductWithCategory = ProductRecord & {
  category: { slug: string } | null;
  variants: Array<Pick<VariantRecord, 'onHand' | 'reserved'> & { selectedOptions: unknown }>;
};

/** A category row (the GraphQL mapper of `Category`). */
export interface CategoryRecord {
  id: string;
  slug: string;
  name: string;
  /** The parent in the category tree; null for a root. */
  parentId: string | null;
}

/** A category and everything below it in the tree. */
export interface CategorySubtree {
  ids: string[];
  slugs: string[];
}

export interface ProductListFilter {
  /** Products of any of these categories (a category and its descendants). */
  categoryIds?: string[];
  minPrice?: number;
  maxPrice?: number;
  inStockOnly?: boolean;
}

/** The columns of a new variant (stock starts as `onHand`, nothing reserved). */
export interface NewVariant {
  sku: string;
  selectedOptions: SelectedOption[];
  priceAmount: number;
  onHand: number;
}

/** The columns of a new product; its price is its first variant's. */
export type NewProduct = Pick<
  ProductRecord,
  'sku' | 'name' | 'description' | 'currency' | 'categoryId'
>;

/** A single-variant product of a bulk load, filed under its category's slug. */
export type SeedProduct = Omit<NewProduct, 'categoryId'> & {
  categorySlug: string;
  priceAmount: number;
  onHand: number;
};

export type ProductChanges = Partial<
  Pick<ProductRecord, 'name' | 'description' | 'categoryId' | 'active'> & {
    /** The new price of every variant. */
    priceAmount: number;
  }
>;

export type VariantChanges = Partial<Pick<NewVariant, 'sku' | 'selectedOptions' | 'priceAmount'>>;

/** Units of one variant, e.g. one line of an order summed per variant. */
export interface VariantUnits {
  variantId: string;
  productId: string;
  quantity: number;
}

/** What the stock of one variant can serve now. */
export interface VariantAvailability {
  id: string;
  productId: string;
  available: number;
  active: boolean;
}

/** How an order's reservations end: given back (RELEASED) or shipped (COMMITTED). */
export type ReservationSettlement = 'RELEASED' | 'COMMITTED';

const CATEGORY_FIELDS = { id: true, slug: true, name: true, parentId: true } as const;

/** Serializes changes of the category tree, so two concurrent moves can never close a cycle. */
const CATEGORY_TREE_LOCK = 72_707_370;

const IMAGE_FIELDS = {
  id: true,
  productId: true,
  url: true,
  altText: true,
  position: true,
} as const;

/** What a search document is made of, beside the product's own columns. */
const SEARCH_INCLUDE = {
  category: { select: { slug: true } },
  variants: { select: { onHand: true, reserved: true, selectedOptions: true } },
} as const;

/** Sums quantities per variant and sorts by its id: row locks are always taken in one global order. */
export function unitsByVariant(items: readonly VariantUnits[]): VariantUnits[] {
  const totals = new Map<string, VariantUnits>();
  for (const item of items) {
    const total = totals.get(item.variantId);
    totals.set(item.variantId, { ...item, quantity: (total?.quantity ?? 0) + item.quantity });
  }
  return [...totals.values()].sort((a, b) =>
    a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0,
  );
}

/**
 * The options as one canonical string, unique per product (`option_key`): names sorted and
 * case-folded, so `Size: M, Colour: Red` and `colour: red, size: m` are one combination.
 */
export function optionKey(options: readonly SelectedOption[]): string {
  return options
    .map((option) => `${option.name.toLowerCase()}=${option.value.toLowerCase()}`)
    .sort()
    .join('\u001f');
}

/** The columns of a variant as VariantRecord, for SQL that joins its product `p` to `v`. */
const VARIANT_COLUMNS = `
  v.id::text AS id, v.product_id::text AS "productId", v.sku,
  v.selected_options AS "selectedOptions", v.price_amount AS "priceAmount",
  p.currency::text AS currency, v.on_hand AS "onHand", v.reserved, p.active`;

/** A product with what its page shows besides: its category, variants and images. */
export type ProductPageRow = ProductRecord & {
  category: CategoryRecord | null;
  variants: VariantRecord[];
  images: ImageRecord[];
};

/** Where product pages' rows are read from: the repository, or what is kept of it (product-rows.ts). */
export interface ProductPageRows {
  /** The products of `ids` that exist, in no particular order; unknown ids are left out. */
  findByIdsWithCategories(ids: readonly string[]): Promise<ProductPageRow[]>;
}

/**
 * The catalog's one data-access layer, the only writer of categories, products (stock included)
 * and stock reservations; `client` is the database or a transaction.
 */
export class ProductRepository implements ProductPageRows {
  constructor(private readonly db: Db | Tx) {}

  /**
   * The products of `ids` with their categories and variants, in ONE raw statement: the hot read
   * of product pages and of every `Product` reference from other subgraphs. Prisma's findMany
   * would cost a query compilation and a query per relation (see bench/README.md, issue 12).
   */
  async findByIdsWithCategories(ids: readonly string[]): Promise<ProductPageRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const rows = await queryPrepared<
      ProductRecord & {
        categorySlug: string | null;
        categoryName: string | null;
        categoryParentId: string | null;
        variants: VariantRecord[];
        images: ImageRecord[];
      }
    >(this.db, {
      name: 'catalog-product-pages',
      text: `
        SELECT p.id::text AS id, p.sku, p.name, p.description, p.price_amount AS "priceAmount",
               p.currency::text AS currency, p.category_id::text AS "categoryId", p.active,
               p.created_at AS "createdAt", p.updated_at AS "updatedAt",
               c.slug AS "categorySlug", c.name AS "categoryName",
               c.parent_id::text AS "categoryParentId",
               (SELECT coalesce(json_agg(json_build_object(
                         'id', v.id, 'productId', v.product_id, 'sku', v.sku,
                         'selectedOptions', v.selected_options, 'priceAmount', v.price_amount,
                         'currency', p.currency, 'onHand', v.on_hand, 'reserved', v.reserved,
                         'active', p.active) ORDER BY v.created_at, v.id), '[]')
                FROM product_variants v WHERE v.product_id = p.id) AS variants,
               (SELECT coalesce(json_agg(json_build_object(
                         'id', i.id, 'productId', i.product_id, 'url', i.url, 'altText', i.alt_text,
                         'position', i.position) ORDER BY i.position, i.id), '[]')
                FROM product_images i WHERE i.product_id = p.id) AS images
        FROM products p LEFT JOIN categories c ON c.id = p.category_id
        WHERE p.id = ANY($1::uuid[])`,
      values: [valid],
    });
    return rows.map(({ categorySlug, categoryName, categoryParentId, ...product }) => ({
      ...product,
      category:
        product.categoryId && categorySlug !== null && categoryName !== null
          ? {
              id: product.categoryId,
              slug: categorySlug,
              name: categoryName,
              parentId: categoryParentId,
            }
          : null,
    }));
  }

  /** The images of the products, in position order within each product. */
  findImagesByProductIds(
    productIds: readonly string[],
    client: Db | Tx = this.db,
  ): Promise<ImageRecord[]> {
    return client.productImage.findMany({
      where: { productId: { in: productIds.filter(isUuid) } },
      orderBy: [{ productId: 'asc' }, { position: 'asc' }, { id: 'asc' }],
      select: IMAGE_FIELDS,
    });
  }

  async findImage(id: string): Promise<ImageRecord | null> {
    if (!isUuid(id)) return null;
    return this.db.productImage.findUnique({ where: { id }, select: IMAGE_FIELDS });
  }

  /**
   * Writes the product's images as `images` lists them, positions 0, 1, ...: new ones (no id)
   * are inserted, listed ones get their place, the product's others are removed. The caller holds
   * the product's row lock (lockProduct).
   */
  async replaceImages(
    tx: Tx,
    productId: string,
    images: ReadonlyArray<Pick<ImageRecord, 'url' | 'altText'> & { id?: string }>,
  ): Promise<void> {
    const kept = images.flatMap((image) => (image.id ? [image.id] : []));
    await tx.productImage.deleteMany({ where: { productId, id: { notIn: kept } } });
    for (const [position, image] of images.entries()) {
      if (image.id) await tx.productImage.update({ where: { id: image.id }, data: { position } });
      else
        await tx.productImage.create({
          data: { productId, url: image.url, altText: image.altText, position },
        });
    }
    await tx.product.update({ where: { id: productId }, data: { updatedAt: new Date() } });
  }

  /** Variants by their ids, with their products' currency and state. */
  findVariantsByIds(ids: readonly string[]): Promise<VariantRecord[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return queryPrepared<VariantRecord>(this.db, {
      name: 'catalog-variants-by-id',
      text: `SELECT ${VARIANT_COLUMNS} FROM product_variants v JOIN products p ON p.id = v.product_id
             WHERE v.id = ANY($1::uuid[])`,
      values: [valid],
    });
  }

  /** The variants of the products, oldest first within each product. */
  findVariantsByProductIds(
    productIds: readonly string[],
    client: Db | Tx = this.db,
  ): Promise<VariantRecord[]> {
    const valid = productIds.filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return queryPrepared<VariantRecord>(client, {
      name: 'catalog-variants-by-product',
      text: `SELECT ${VARIANT_COLUMNS} FROM product_variants v JOIN products p ON p.id = v.product_id
             WHERE v.product_id = ANY($1::uuid[]) ORDER BY v.product_id, v.created_at, v.id`,
      values: [valid],
    });
  }

  async findCategoriesByIds(ids: readonly string[]): Promise<CategoryRecord[]> {
    return this.db.category.findMany({
      where: { id: { in: [...ids] } },
      select: CATEGORY_FIELDS,
    });
  }

  async findCategoryBySlug(
    slug: string,
    client: Db | Tx = this.db,
  ): Promise<CategoryRecord | null> {
    return client.category.findUnique({
      where: { slug },
      select: CATEGORY_FIELDS,
    });
  }

  /** Every category by name, or only the roots of the tree. */
  async listCategories(rootsOnly = false): Promise<CategoryRecord[]> {
    return this.db.category.findMany({
      where: rootsOnly ? { parentId: null } : {},
      orderBy: { name: 'asc' },
      select: CATEGORY_FIELDS,
    });
  }

  /** The children of the categories, by name. */
  findChildren(parentIds: readonly string[]): Promise<CategoryRecord[]> {
    return this.db.category.findMany({
      where: { parentId: { in: [...parentIds] } },
      orderBy: { name: 'asc' },
      select: CATEGORY_FIELDS,
    });
  }

  /** The ancestors of each category, nearest first, in one recursive query. */
  async findAncestors(
    ids: readonly string[],
    client: Db | Tx = this.db,
  ): Promise<Array<CategoryRecord & { descendantId: string }>> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return client.$queryRaw<Array<CategoryRecord & { descendantId: string }>>`
      WITH RECURSIVE up AS (
        SELECT c.id AS descendant_id, c.parent_id, 0 AS depth FROM categories c
        WHERE c.id = ANY(${valid}::uuid[])
        UNION ALL
        SELECT up.descendant_id, p.parent_id, up.depth + 1
        FROM up JOIN categories p ON p.id = up.parent_id
      )
      SELECT up.descendant_id::text AS "descendantId", a.id::text AS id, a.slug, a.name,
             a.parent_id::text AS "parentId"
      FROM up JOIN categories a ON a.id = up.parent_id
      ORDER BY up.descendant_id, up.depth`;
  }

  /** The category with this slug and all its descendants; null when there is none. */
  async findSubtree(slug: string): Promise<CategorySubtree | null> {
    const rows = await this.db.$queryRaw<Array<{ id: string; slug: string }>>`
      WITH RECURSIVE down AS (
        SELECT id, slug FROM categories WHERE slug = ${slug}
        UNION ALL
        SELECT c.id, c.slug FROM categories c JOIN down ON c.parent_id = down.id
      )
      SELECT id::text AS id, slug FROM down`;
    if (rows.length === 0) return null;
    return { ids: rows.map((row) => row.id), slugs: rows.map((row) => row.slug) };
  }

  /**
   * Moves a category under `parentId` (null: makes it a root), under the tree's advisory lock;
   * 'cycle' when the parent is the category itself or one of its descendants.
   */
  async setParent(
    tx: Tx,
    categoryId: string,
    parentId: string | null,
  ): Promise<CategoryRecord | 'cycle'> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CATEGORY_TREE_LOCK})`;
    if (parentId) {
      const ancestors = await this.findAncestors([parentId], tx);
      if (parentId === categoryId || ancestors.some((ancestor) => ancestor.id === categoryId))
        return 'cycle';
    }
    return tx.category.update({
      where: { id: categoryId },
      data: { parentId },
      select: CATEGORY_FIELDS,
    });
  }

  private listWhere(filter: ProductListFilter): Prisma.ProductWhereInput {
    return {
      active: true,
      ...(filter.categoryIds ? { categoryId: { in: filter.categoryIds } } : {}),
      ...(filter.minPrice !== undefined || filter.maxPrice !== undefined
        ? { priceAmount: { gte: filter.minPrice, lte: filter.maxPrice } }
        : {}),
      ...(filter.inStockOnly
        ? { variants: { some: { onHand: { gt: this.db.productVariant.fields.reserved } } } }
        : {}),
    };
  }

  /**
   * One page in `order` (the id breaking ties, so the order is total and stable), plus one extra
   * row telling whether more follow; `after` is where the previous page ended.
   */
  async listPage(
    filter: ProductListFilter,
    first: number,
    after: ListingPosition | null,
    order: ListingOrder,
  ): Promise<ProductRecord[]> {
    const where = this.listWhere(filter);
    const column = LISTING_COLUMN[order.key];
    const beyond = order.reverse ? 'lt' : 'gt';
    const direction = order.reverse ? 'desc' : 'asc';
    return this.db.product.findMany({
      where: after
        ? {
            AND: [
              where,
              {
                OR: [
                  { [column]: { [beyond]: after.value } },
                  { [column]: after.value, id: { [beyond]: after.id } },
                ],
              },
            ],
          }
        : where,
      orderBy: [{ [column]: direction }, { id: direction }],
      take: first + 1,
    });
  }

  async count(filter: ProductListFilter): Promise<number> {
    return this.db.product.count({ where: this.listWhere(filter) });
  }

  /** Whether a product or a variant has this sku. */
  async existsWithSku(sku: string): Promise<boolean> {
    const [product, variant] = await Promise.all([
      this.db.product.findUnique({ where: { sku }, select: { id: true } }),
      this.db.productVariant.findUnique({ where: { sku }, select: { id: true } }),
    ]);
    return product !== null || variant !== null;
  }

  /** A product with its category's slug and variants, for the search index. */
  findWithCategory(id: string): Promise<ProductWithCategory | null> {
    return this.db.product.findUnique({
      where: { id },
      include: SEARCH_INCLUDE,
    });
  }

  /** Products in id order, `size` at a time (keyset: 100k rows never sit in memory at once). */
  async *batchesWithCategory(
    size: number,
    changedSince?: Date,
  ): AsyncGenerator<ProductWithCategory[]> {
    let after: string | undefined;
    for (;;) {
      const rows = await this.db.product.findMany({
        where: {
          ...(after ? { id: { gt: after } } : {}),
          ...(changedSince ? { updatedAt: { gte: changedSince } } : {}),
        },
        include: SEARCH_INCLUDE,
        orderBy: { id: 'asc' },
        take: size,
      });
      if (rows.length === 0) return;
      yield rows;
      after = rows.at(-1)?.id;
    }
  }

  /** @throws a unique violation (isUniqueViolation) when the slug is taken. */
  createCategory(category: {
    slug: string;
    name: string;
    parentId: string | null;
  }): Promise<CategoryRecord> {
    return this.db.category.create({ data: category, select: CATEGORY_FIELDS });
  }

  /**
   * A product with its first variant.
   * @throws a unique violation (isUniqueViolation) when the sku is taken.
   */
  createProduct(tx: Tx, product: NewProduct, firstVariant: NewVariant): Promise<ProductRecord> {
    return tx.product.create({
      data: {
        ...product,
        priceAmount: firstVariant.priceAmount,
        variants: { create: variantColumns(firstVariant) },
      },
    });
  }

  /** The product after the changes; null when no product has this id. */
  async updateProduct(tx: Tx, id: string, changes: ProductChanges): Promise<ProductRecord | null> {
    if (!isUuid(id) || !(await tx.product.findUnique({ where: { id }, select: { id: true } })))
      return null;
    if (changes.priceAmount !== undefined)
      await tx.productVariant.updateMany({
        where: { productId: id },
        data: { priceAmount: changes.priceAmount },
      });
    return tx.product.update({ where: { id }, data: changes });
  }

  /**
   * Locks the product's row until the transaction ends (variant changes of one product run one
   * after the other, so the rules across its variants hold) and returns its variants; null when
   * there is no such product.
   */
  async lockProductVariants(tx: Tx, productId: string): Promise<VariantRecord[] | null> {
    if (!(await this.lockProduct(tx, productId))) return null;
    return this.findVariantsByProductIds([productId], tx);
  }

  /** Takes the product's row lock; false when there is no such product. */
  async lockProduct(tx: Tx, productId: string): Promise<boolean> {
    if (!isUuid(productId)) return false;
    const locked = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM products WHERE id = ${productId}::uuid FOR UPDATE`;
    return locked.length > 0;
  }

  /** @throws a unique violation (isUniqueViolation) when the sku or the option values are taken. */
  async createVariant(tx: Tx, productId: string, variant: NewVariant): Promise<string> {
    const { id } = await tx.productVariant.create({
      data: { productId, ...variantColumns(variant) },
      select: { id: true },
    });
    await this.refreshLowestPrice(tx, productId);
    return id;
  }

  /** @throws a unique violation (isUniqueViolation) when the sku or the option values are taken. */
  async updateVariant(
    tx: Tx,
    variant: Pick<VariantRecord, 'id' | 'productId'>,
    changes: VariantChanges,
  ): Promise<void> {
    await tx.productVariant.update({
      where: { id: variant.id },
      data: {
        ...(changes.sku !== undefined ? { sku: changes.sku } : {}),
        ...(changes.priceAmount !== undefined ? { priceAmount: changes.priceAmount } : {}),
        ...(changes.selectedOptions !== undefined
          ? {
              selectedOptions: changes.selectedOptions as unknown as Prisma.InputJsonValue,
              optionKey: optionKey(changes.selectedOptions),
            }
          : {}),
      },
    });
    if (changes.priceAmount !== undefined) await this.refreshLowestPrice(tx, variant.productId);
  }

  /** products.price_amount is the lowest variant price: set in the transaction that changes one. */
  private async refreshLowestPrice(tx: Tx, productId: string): Promise<void> {
    await tx.$executeRaw`
      UPDATE products SET price_amount = (
        SELECT min(price_amount) FROM product_variants WHERE product_id = ${productId}::uuid
      ), updated_at = now()
      WHERE id = ${productId}::uuid`;
  }

  /**
   * Adds `delta` units on hand of a variant in one conditional UPDATE: a change that would leave
   * fewer units than are reserved, or more than `maxOnHand`, is refused atomically, however many
   * reservations race with it.
   */
  async adjustOnHand(
    tx: Tx,
    variantId: string,
    delta: number,
    maxOnHand: number,
  ): Promise<'adjusted' | 'insufficient'> {
    const updated = await tx.$executeRaw`
      UPDATE product_variants SET on_hand = on_hand + ${delta}, updated_at = now()
      WHERE id = ${variantId}::uuid AND on_hand + ${delta} >= reserved AND on_hand + ${delta} <= ${maxOnHand}`;
    if (updated === 1) {
      await tx.$executeRaw`
        UPDATE products SET updated_at = now()
        WHERE id = (SELECT product_id FROM product_variants WHERE id = ${variantId}::uuid)`;
      return 'adjusted';
    }
    return 'insufficient';
  }

  /**
   * Inserts the categories and products that are missing (by slug and sku; existing rows are
   * kept as they are), each product with one variant of its sku, price and stock, with multi-row
   * statements; returns the ids of the products it created.
   */
  async insertMissing(
    categories: ReadonlyArray<{ slug: string; name: string }>,
    products: readonly SeedProduct[],
  ): Promise<string[]> {
    await this.db.$executeRaw`
      INSERT INTO categories (id, slug, name)
      SELECT gen_random_uuid(), slug, name
      FROM unnest(${categories.map((category) => category.slug)}::text[], ${categories.map((category) => category.name)}::text[]) AS c(slug, name)
      ON CONFLICT (slug) DO NOTHING`;
    if (products.length === 0) return [];
    const column = <K extends keyof SeedProduct>(key: K) => products.map((product) => product[key]);
    const created = await this.db.$queryRaw<Array<{ id: string }>>`
      WITH input AS (
        SELECT * FROM unnest(
          ${column('sku')}::text[], ${column('name')}::text[], ${column('description')}::text[],
          ${column('priceAmount')}::int[], ${column('currency')}::text[], ${column('onHand')}::int[],
          ${column('categorySlug')}::text[]
        ) AS p(sku, name, description, price, currency, stock, slug)
      ), created AS (
        INSERT INTO products (id, sku, name, description, price_amount, currency, category_id, updated_at)
        SELECT gen_random_uuid(), p.sku, p.name, p.description, p.price, p.currency, c.id, now()
        FROM input p JOIN categories c ON c.slug = p.slug
        ON CONFLICT (sku) DO NOTHING
        RETURNING id, sku
      ), variants AS (
        INSERT INTO product_variants (id, product_id, sku, price_amount, on_hand, updated_at)
        SELECT gen_random_uuid(), created.id, created.sku, input.price, input.stock, now()
        FROM created JOIN input ON input.sku = created.sku
      )
      SELECT id::text AS id FROM created`;
    return created.map(({ id }) => id);
  }

  /** Whether the order holds reservations already (its OrderPlaced was handled). */
  async hasReservations(tx: Tx, orderId: string): Promise<boolean> {
    return (await tx.stockReservation.count({ where: { orderId } })) > 0;
  }

  /**
   * What the variants can serve now. With `lock`, their rows stay locked until the transaction
   * ends, taken in id order (no deadlock between concurrent orders).
   */
  availability(
    tx: Tx,
    variantIds: readonly string[],
    lock: boolean,
  ): Promise<VariantAvailability[]> {
    const ids = variantIds.filter(isUuid);
    return lock
      ? tx.$queryRaw<VariantAvailability[]>`
          SELECT v.id::text AS id, v.product_id::text AS "productId",
                 v.on_hand - v.reserved AS available, p.active
          FROM product_variants v JOIN products p ON p.id = v.product_id
          WHERE v.id = ANY(${ids}::uuid[]) ORDER BY v.id FOR UPDATE OF v`
      : tx.$queryRaw<VariantAvailability[]>`
          SELECT v.id::text AS id, v.product_id::text AS "productId",
                 v.on_hand - v.reserved AS available, p.active
          FROM product_variants v JOIN products p ON p.id = v.product_id
          WHERE v.id = ANY(${ids}::uuid[])`;
  }

  /**
   * Reserves the lines for the order: reserved units grow and one reservation row per line is
   * written. Each UPDATE is guarded by the availability, a second guard behind the row locks: if
   * it ever failed, throwing rolls the whole event back instead of over-reserving.
   */
  async reserve(tx: Tx, orderId: string, lines: readonly VariantUnits[]): Promise<void> {
    for (const line of lines) {
      const updated = await tx.$executeRaw`
        UPDATE product_variants SET reserved = reserved + ${line.quantity}, updated_at = now()
        WHERE id = ${line.variantId}::uuid AND on_hand - reserved >= ${line.quantity}`;
      if (updated !== 1)
        throw new Error(`reservation of ${line.variantId} lost its stock under lock`);
    }
    await tx.stockReservation.createMany({
      data: lines.map((line) => ({
        orderId,
        productId: line.productId,
        variantId: line.variantId,
        quantity: line.quantity,
      })),
    });
  }

  /**
   * Ends the order's open reservations: RELEASED gives the units back, COMMITTED takes them off
   * hand too (they left the warehouse). Returns the units settled; none when already settled.
   */
  async settleReservations(
    tx: Tx,
    orderId: string,
    settlement: ReservationSettlement,
  ): Promise<VariantUnits[]> {
    const settled = unitsByVariant(
      await tx.$queryRaw<VariantUnits[]>`
        UPDATE stock_reservations SET status = ${settlement}::stock_reservation_status, updated_at = now()
        WHERE order_id = ${orderId} AND status = 'RESERVED'
        RETURNING variant_id::text AS "variantId", product_id::text AS "productId", quantity`,
    );
    for (const line of settled) {
      const shipped = settlement === 'COMMITTED' ? line.quantity : 0;
      await tx.$executeRaw`
        UPDATE product_variants SET on_hand = on_hand - ${shipped}, reserved = reserved - ${line.quantity}, updated_at = now()
        WHERE id = ${line.variantId}::uuid`;
    }
    return settled;
  }
}

function variantColumns(variant: NewVariant) {
  return {
    sku: variant.sku,
    selectedOptions: variant.selectedOptions as unknown as Prisma.InputJsonValue,
    optionKey: optionKey(variant.selectedOptions),
    priceAmount: variant.priceAmount,
    onHand: variant.onHand,
  };
}

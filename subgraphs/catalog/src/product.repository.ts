import { queryPrepared, type Db, type Prisma, type Tx } from '@microshop/db';
import { isUuid, type ListPosition } from '@microshop/runtime';

/** A product row as resolvers receive it (the GraphQL mapper of `Product`). */
export interface ProductRecord {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceAmount: number;
  currency: string;
  categoryId: string | null;
  active: boolean;
  onHand: number;
  reserved: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A product with its category's slug: what the search index is fed from. */
export type ProductWithCategory = ProductRecord & { category: { slug: string } | null };

/** A category row (the GraphQL mapper of `Category`). */
export interface CategoryRecord {
  id: string;
  slug: string;
  name: string;
}

export interface ProductListFilter {
  categoryId?: string;
  minPrice?: number;
  maxPrice?: number;
  inStockOnly?: boolean;
}

/** The columns of a new product (stock starts as `onHand`, nothing reserved). */
export type NewProduct = Pick<
  ProductRecord,
  'sku' | 'name' | 'description' | 'priceAmount' | 'currency' | 'categoryId' | 'onHand'
>;

/** A product of a bulk load, filed under its category's slug. */
export type SeedProduct = Omit<NewProduct, 'categoryId'> & { categorySlug: string };

export type ProductChanges = Partial<
  Pick<ProductRecord, 'name' | 'description' | 'priceAmount' | 'categoryId' | 'active'>
>;

/** Units of one product, e.g. one line of an order summed per product. */
export interface ProductUnits {
  productId: string;
  quantity: number;
}

/** What the stock of one product can serve now. */
export interface ProductAvailability {
  id: string;
  available: number;
  active: boolean;
}

/** How an order's reservations end: given back (RELEASED) or shipped (COMMITTED). */
export type ReservationSettlement = 'RELEASED' | 'COMMITTED';

const CATEGORY_FIELDS = { id: true, slug: true, name: true } as const;

/** Sums quantities per product and sorts by id: row locks are always taken in one global order. */
export function unitsByProduct(items: readonly ProductUnits[]): ProductUnits[] {
  const totals = new Map<string, number>();
  for (const item of items)
    totals.set(item.productId, (totals.get(item.productId) ?? 0) + item.quantity);
  return [...totals.entries()]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/**
 * The catalog's one data-access layer, the only writer of categories, products (stock included)
 * and stock reservations; `client` is the database or a transaction.
 */
export class ProductRepository {
  constructor(private readonly db: Db | Tx) {}

  /**
   * The products of `ids` with their categories, in ONE raw statement: the hot read of product
   * pages and of every `Product` reference from other subgraphs. Prisma's findMany would cost a
   * query compilation and a second query for the categories (see bench/README.md, issue 12).
   */
  async findByIdsWithCategories(
    ids: readonly string[],
  ): Promise<Array<ProductRecord & { category: CategoryRecord | null }>> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const rows = await queryPrepared<
      ProductRecord & { categorySlug: string | null; categoryName: string | null }
    >(this.db, {
      name: 'catalog-products-with-categories',
      text: `
        SELECT p.id::text AS id, p.sku, p.name, p.description, p.price_amount AS "priceAmount",
               p.currency::text AS currency, p.category_id::text AS "categoryId", p.active,
               p.on_hand AS "onHand", p.reserved, p.created_at AS "createdAt",
               p.updated_at AS "updatedAt", c.slug AS "categorySlug", c.name AS "categoryName"
        FROM products p LEFT JOIN categories c ON c.id = p.category_id
        WHERE p.id = ANY($1::uuid[])`,
      values: [valid],
    });
    return rows.map(({ categorySlug, categoryName, ...product }) => ({
      ...product,
      category:
        product.categoryId && categorySlug !== null && categoryName !== null
          ? { id: product.categoryId, slug: categorySlug, name: categoryName }
          : null,
    }));
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

  async listCategories(): Promise<CategoryRecord[]> {
    return this.db.category.findMany({
      orderBy: { name: 'asc' },
      select: CATEGORY_FIELDS,
    });
  }

  private listWhere(filter: ProductListFilter): Prisma.ProductWhereInput {
    return {
      active: true,
      ...(filter.categoryId ? { categoryId: filter.categoryId } : {}),
      ...(filter.minPrice !== undefined || filter.maxPrice !== undefined
        ? { priceAmount: { gte: filter.minPrice, lte: filter.maxPrice } }
        : {}),
      ...(filter.inStockOnly ? { onHand: { gt: this.db.product.fields.reserved } } : {}),
    };
  }

  /** One page in the stable order, plus one extra row telling whether more follow. */
  async listPage(
    filter: ProductListFilter,
    first: number,
    after: ListPosition | null,
  ): Promise<ProductRecord[]> {
    const where = this.listWhere(filter);
    return this.db.product.findMany({
      where: after
        ? {
            AND: [
              where,
              {
                OR: [
                  { createdAt: { gt: after.createdAt } },
                  { createdAt: after.createdAt, id: { gt: after.id } },
                ],
              },
            ],
          }
        : where,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: first + 1,
    });
  }

  async count(filter: ProductListFilter): Promise<number> {
    return this.db.product.count({ where: this.listWhere(filter) });
  }

  async existsWithSku(sku: string): Promise<boolean> {
    return (await this.db.product.findUnique({ where: { sku }, select: { id: true } })) !== null;
  }

  /** A product with its category's slug, for the search index. */
  findWithCategory(id: string): Promise<ProductWithCategory | null> {
    return this.db.product.findUnique({
      where: { id },
      include: { category: { select: { slug: true } } },
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
        include: { category: { select: { slug: true } } },
        orderBy: { id: 'asc' },
        take: size,
      });
      if (rows.length === 0) return;
      yield rows;
      after = rows.at(-1)?.id;
    }
  }

  /** @throws a unique violation (isUniqueViolation) when the slug is taken. */
  createCategory(category: { slug: string; name: string }): Promise<CategoryRecord> {
    return this.db.category.create({ data: category, select: CATEGORY_FIELDS });
  }

  /** @throws a unique violation (isUniqueViolation) when the sku is taken. */
  createProduct(tx: Tx, product: NewProduct): Promise<ProductRecord> {
    return tx.product.create({ data: product });
  }

  /** The product after the changes; null when no product has this id. */
  async updateProduct(tx: Tx, id: string, changes: ProductChanges): Promise<ProductRecord | null> {
    if (!isUuid(id) || !(await tx.product.findUnique({ where: { id }, select: { id: true } })))
      return null;
    return tx.product.update({ where: { id }, data: changes });
  }

  /**
   * Adds `delta` units on hand in one conditional UPDATE: a change that would leave fewer units
   * than are reserved, or more than `maxOnHand`, is refused atomically, however many reservations
   * race with it.
   */
  async adjustOnHand(
    tx: Tx,
    id: string,
    delta: number,
    maxOnHand: number,
  ): Promise<ProductRecord | 'insufficient' | 'not-found'> {
    if (!isUuid(id)) return 'not-found';
    const updated = await tx.$executeRaw`
      UPDATE products SET on_hand = on_hand + ${delta}, updated_at = now()
      WHERE id = ${id}::uuid AND on_hand + ${delta} >= reserved AND on_hand + ${delta} <= ${maxOnHand}`;
    if (updated === 1) return tx.product.findUniqueOrThrow({ where: { id } });
    const exists = await tx.product.findUnique({ where: { id }, select: { id: true } });
    return exists ? 'insufficient' : 'not-found';
  }

  /**
   * Inserts the categories and products that are missing (by slug and sku; existing rows are
   * kept as they are) with multi-row statements; returns the ids of the products it created.
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
      INSERT INTO products (id, sku, name, description, price_amount, currency, category_id, on_hand, updated_at)
      SELECT gen_random_uuid(), p.sku, p.name, p.description, p.price, p.currency, c.id, p.stock, now()
      FROM unnest(
        ${column('sku')}::text[], ${column('name')}::text[], ${column('description')}::text[],
        ${column('priceAmount')}::int[], ${column('currency')}::text[], ${column('onHand')}::int[],
        ${column('categorySlug')}::text[]
      ) AS p(sku, name, description, price, currency, stock, slug)
      JOIN categories c ON c.slug = p.slug
      ON CONFLICT (sku) DO NOTHING
      RETURNING id::text AS id`;
    return created.map(({ id }) => id);
  }

  /** Whether the order holds reservations already (its OrderPlaced was handled). */
  async hasReservations(tx: Tx, orderId: string): Promise<boolean> {
    return (await tx.stockReservation.count({ where: { orderId } })) > 0;
  }

  /**
   * What the products can serve now. With `lock`, their rows stay locked until the transaction
   * ends, taken in id order (no deadlock between concurrent orders).
   */
  availability(
    tx: Tx,
    productIds: readonly string[],
    lock: boolean,
  ): Promise<ProductAvailability[]> {
    const ids = productIds.filter(isUuid);
    return lock
      ? tx.$queryRaw<ProductAvailability[]>`
          SELECT id::text AS id, on_hand - reserved AS available, active
          FROM products WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`
      : tx.$queryRaw<ProductAvailability[]>`
          SELECT id::text AS id, on_hand - reserved AS available, active
          FROM products WHERE id = ANY(${ids}::uuid[])`;
  }

  /**
   * Reserves the lines for the order: reserved units grow and one reservation row per line is
   * written. Each UPDATE is guarded by the availability, a second guard behind the row locks: if
   * it ever failed, throwing rolls the whole event back instead of over-reserving.
   */
  async reserve(tx: Tx, orderId: string, lines: readonly ProductUnits[]): Promise<void> {
    for (const line of lines) {
      const updated = await tx.$executeRaw`
        UPDATE products SET reserved = reserved + ${line.quantity}, updated_at = now()
        WHERE id = ${line.productId}::uuid AND on_hand - reserved >= ${line.quantity}`;
      if (updated !== 1)
        throw new Error(`reservation of ${line.productId} lost its stock under lock`);
    }
    await tx.stockReservation.createMany({
      data: lines.map((line) => ({ orderId, productId: line.productId, quantity: line.quantity })),
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
  ): Promise<ProductUnits[]> {
    const settled = unitsByProduct(
      await tx.$queryRaw<ProductUnits[]>`
        UPDATE stock_reservations SET status = ${settlement}::stock_reservation_status, updated_at = now()
        WHERE order_id = ${orderId} AND status = 'RESERVED'
        RETURNING product_id::text AS "productId", quantity`,
    );
    for (const line of settled) {
      const shipped = settlement === 'COMMITTED' ? line.quantity : 0;
      await tx.$executeRaw`
        UPDATE products SET on_hand = on_hand - ${shipped}, reserved = reserved - ${line.quantity}, updated_at = now()
        WHERE id = ${line.productId}::uuid`;
    }
    return settled;
  }
}

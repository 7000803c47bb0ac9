import type { Db, Tx } from '@microshop/db';
import type { Prisma } from '@microshop/db';

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

/** Position in the stable listing order (oldest first, id as the tiebreak). */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs in the database; anything else cannot name a row (and must not reach SQL as one). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The catalog's one data-access layer; `client` is the database or a transaction. */
export class ProductRepository {
  constructor(private readonly db: Db) {}

  /** Every product of `ids` in ONE query (what the per-request DataLoader batches into). */
  async findByIds(ids: readonly string[], client: Db | Tx = this.db): Promise<ProductRecord[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return client.product.findMany({ where: { id: { in: valid } } });
  }

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
    const rows = await this.db.$queryRaw<
      Array<ProductRecord & { categorySlug: string | null; categoryName: string | null }>
    >`
      SELECT p.id::text AS id, p.sku, p.name, p.description, p.price_amount AS "priceAmount",
             p.currency::text AS currency, p.category_id::text AS "categoryId", p.active,
             p.on_hand AS "onHand", p.reserved, p.created_at AS "createdAt",
             p.updated_at AS "updatedAt", c.slug AS "categorySlug", c.name AS "categoryName"
      FROM products p LEFT JOIN categories c ON c.id = p.category_id
      WHERE p.id = ANY(${valid}::uuid[])`;
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
      select: { id: true, slug: true, name: true },
    });
  }

  async findCategoryBySlug(
    slug: string,
    client: Db | Tx = this.db,
  ): Promise<CategoryRecord | null> {
    return client.category.findUnique({
      where: { slug },
      select: { id: true, slug: true, name: true },
    });
  }

  async listCategories(): Promise<CategoryRecord[]> {
    return this.db.category.findMany({
      orderBy: { name: 'asc' },
      select: { id: true, slug: true, name: true },
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
}

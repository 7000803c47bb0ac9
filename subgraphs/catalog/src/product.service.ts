import { requireAdmin } from '@microshop/auth';
import { isUniqueViolation, type Db, type Tx } from '@microshop/db';
import { appendToOutbox } from '@microshop/events';
import {
  badUserInput,
  checkPageSize,
  decodeCursor,
  pageOf,
  userError,
  type RequestContext,
  type UserError,
} from '@microshop/runtime';
import { InvalidCursorError, type Facet, type SearchIndex } from '@microshop/search';
import { outboxSource, productChanged } from './events.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { CatalogLoaders } from './loaders.ts';
import type {
  CategoryRecord,
  ProductListFilter,
  ProductRecord,
  ProductRepository,
} from './product.repository.ts';

const LIMITS = {
  sku: 64,
  name: 200,
  description: 10_000,
  categoryName: 100,
  slug: 64,
  price: 100_000_000,
  stock: 1_000_000,
};

export interface ProductFilterInput {
  categorySlug?: string | null;
  minPrice?: number | null;
  maxPrice?: number | null;
  inStockOnly?: boolean | null;
}

export interface CreateProductInput {
  sku: string;
  name: string;
  description: string;
  priceAmount: number;
  currency: string;
  categorySlug?: string | null;
  initialStock: number;
}

export interface UpdateProductInput {
  name?: string | null;
  description?: string | null;
  priceAmount?: number | null;
  categorySlug?: string | null;
  active?: boolean | null;
}

type CatalogUserError = UserError<UserErrorCode>;

export type ProductPayload = { product: ProductRecord | null; userErrors: CatalogUserError[] };
export type CategoryPayload = { category: CategoryRecord | null; userErrors: CatalogUserError[] };

export interface SearchPage {
  edges: Array<{ cursor: string; node: ProductRecord }>;
  hasNextPage: boolean;
  totalCount: number;
  facets: Facet[];
}

/** Longest search query accepted: a search box, not a document. */
const MAX_QUERY_LENGTH = 200;

export interface ProductPage {
  nodes: ProductRecord[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

/** Rejects an impossible filter (negative prices, min above max) with BAD_USER_INPUT. */
export function checkFilter(filter: ProductFilterInput | null | undefined): void {
  if (!filter) return;
  for (const key of ['minPrice', 'maxPrice'] as const) {
    const value = filter[key];
    if (value !== null && value !== undefined && value < 0)
      throw badUserInput(`${key} must not be negative`, ['filter', key]);
  }
  if (filter.minPrice != null && filter.maxPrice != null && filter.minPrice > filter.maxPrice) {
    throw badUserInput('minPrice must not exceed maxPrice', ['filter', 'minPrice']);
  }
}

/**
 * Products and categories: reads (batched per request through the loaders), full-text search,
 * admin writes with validation, ProductChanged in the same transaction.
 */
export class ProductService {
  constructor(
    private readonly db: Db,
    private readonly repository: ProductRepository,
    private readonly searchIndex: SearchIndex,
    private readonly loaders: CatalogLoaders,
  ) {}

  /** A product by id, active or not; every product read of one request shares one query. */
  product(id: string): Promise<ProductRecord | null> {
    return this.loaders.productById.load(id);
  }

  categoryOf(product: ProductRecord): Promise<CategoryRecord | null> | null {
    return product.categoryId ? this.loaders.categoryById.load(product.categoryId) : null;
  }

  /**
   * Hits come from the index, products from the database (one batched query through the
   * request's loader), so prices and stock are current even when the index lags a little.
   */
  async searchProducts(
    ctx: RequestContext,
    args: {
      query: string;
      first: number;
      after?: string | null;
      filter?: ProductFilterInput | null;
    },
  ): Promise<SearchPage> {
    const query = args.query.trim();
    if (query.length === 0) throw badUserInput('query must not be empty', ['query']);
    if (query.length > MAX_QUERY_LENGTH)
      throw badUserInput(`query must be at most ${MAX_QUERY_LENGTH} characters`, ['query']);
    checkPageSize(args.first);
    checkFilter(args.filter);
    let result;
    try {
      result = await this.searchIndex.search({
        query,
        first: args.first,
        after: args.after,
        filter: args.filter,
      });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badUserInput('Invalid cursor', ['after']);
      throw error;
    }
    const products = await this.loaders.productById.loadMany(result.hits.map((hit) => hit.id));
    const edges = result.hits.flatMap((hit, position) => {
      const node = products[position];
      if (node instanceof Error) throw node;
      // A product removed since it was indexed: its delete event is on the way.
      return node?.active ? [{ cursor: hit.cursor, node }] : [];
    });
    ctx.log.debug({ query, hits: edges.length, total: result.totalCount }, 'search');
    return {
      edges,
      hasNextPage: result.hasNextPage,
      totalCount: result.totalCount,
      facets: result.facets,
    };
  }

  async listProducts(
    _ctx: RequestContext,
    args: { first: number; after?: string | null; filter?: ProductFilterInput | null },
  ): Promise<ProductPage> {
    checkPageSize(args.first);
    checkFilter(args.filter);
    const after = args.after ? decodeCursor(args.after) : null;
    const filter = await this.resolveFilter(args.filter);
    if (!filter) return { nodes: [], cursors: [], hasNextPage: false, totalCount: async () => 0 };
    const rows = await this.repository.listPage(filter, args.first, after);
    return {
      ...pageOf(rows, args.first),
      // Counted only when asked for: a page without totalCount costs one query.
      totalCount: () => this.repository.count(filter),
    };
  }

  /** The repository filter, or null when the filter names a category that does not exist (nothing matches). */
  private async resolveFilter(
    input: ProductFilterInput | null | undefined,
  ): Promise<ProductListFilter | null> {
    const filter: ProductListFilter = {
      ...(input?.minPrice != null ? { minPrice: input.minPrice } : {}),
      ...(input?.maxPrice != null ? { maxPrice: input.maxPrice } : {}),
      ...(input?.inStockOnly ? { inStockOnly: true } : {}),
    };
    if (input?.categorySlug) {
      const category = await this.repository.findCategoryBySlug(input.categorySlug);
      if (!category) return null;
      filter.categoryId = category.id;
    }
    return filter;
  }

  async listCategories(_ctx: RequestContext): Promise<CategoryRecord[]> {
    return this.repository.listCategories();
  }

  async createCategory(
    ctx: RequestContext,
    input: { slug: string; name: string },
  ): Promise<CategoryPayload> {
    requireAdmin(ctx.principal);
    const slug = input.slug.trim();
    const name = input.name.trim();
    const errors: CatalogUserError[] = [];
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > LIMITS.slug) {
      errors.push(
        userError(
          UserErrorCode.INVALID_SLUG,
          `slug must be 1-${LIMITS.slug} lowercase letters, digits and single dashes`,
          ['input', 'slug'],
        ),
      );
    }
    if (name.length === 0 || name.length > LIMITS.categoryName) {
      errors.push(
        userError(UserErrorCode.INVALID_NAME, `name must be 1-${LIMITS.categoryName} characters`, [
          'input',
          'name',
        ]),
      );
    }
    if (errors.length > 0) return { category: null, userErrors: errors };
    try {
      const category = await this.repository.createCategory({ slug, name });
      ctx.log.info({ categoryId: category.id, slug }, 'category created');
      return { category, userErrors: [] };
    } catch (error) {
      if (isUniqueViolation(error)) {
        return {
          category: null,
          userErrors: [
            userError(UserErrorCode.SLUG_TAKEN, `A category with slug "${slug}" exists`, [
              'input',
              'slug',
            ]),
          ],
        };
      }
      throw error;
    }
  }

  async createProduct(ctx: RequestContext, input: CreateProductInput): Promise<ProductPayload> {
    requireAdmin(ctx.principal);
    const sku = input.sku.trim();
    const errors = [
      ...validateText(
        { sku },
        LIMITS.sku,
        UserErrorCode.INVALID_SKU,
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      ),
      ...validateProductFields(input),
    ];
    if (
      !Number.isInteger(input.initialStock) ||
      input.initialStock < 0 ||
      input.initialStock > LIMITS.stock
    ) {
      errors.push(
        userError(
          UserErrorCode.INVALID_STOCK,
          `initialStock must be between 0 and ${LIMITS.stock}`,
          ['input', 'initialStock'],
        ),
      );
    }
    if (!/^[A-Z]{3}$/.test(input.currency)) {
      errors.push(
        userError(UserErrorCode.INVALID_CURRENCY, 'currency must be an ISO-4217 code such as EUR', [
          'input',
          'currency',
        ]),
      );
    }
    const category = input.categorySlug
      ? await this.repository.findCategoryBySlug(input.categorySlug)
      : null;
    if (input.categorySlug && !category) errors.push(categoryNotFound(input.categorySlug));
    if (errors.length === 0 && (await this.repository.existsWithSku(sku))) {
      errors.push(skuTaken(sku));
    }
    if (errors.length > 0) return { product: null, userErrors: errors };

    try {
      const product = await this.db.$transaction(async (tx) => {
        const created = await this.repository.createProduct(tx, {
          sku,
          name: input.name.trim(),
          description: input.description.trim(),
          priceAmount: input.priceAmount,
          currency: input.currency,
          categoryId: category?.id ?? null,
          onHand: input.initialStock,
        });
        await this.announce(tx, ctx, created.id);
        return created;
      });
      ctx.log.info({ productId: product.id, sku }, 'product created');
      return { product, userErrors: [] };
    } catch (error) {
      // Two admins creating the same sku at once: the unique index decides, the loser is told.
      if (isUniqueViolation(error)) return { product: null, userErrors: [skuTaken(sku)] };
      throw error;
    }
  }

  async updateProduct(
    ctx: RequestContext,
    id: string,
    input: UpdateProductInput,
  ): Promise<ProductPayload> {
    requireAdmin(ctx.principal);
    const errors = validateProductFields(input);
    const category = input.categorySlug
      ? await this.repository.findCategoryBySlug(input.categorySlug)
      : null;
    if (input.categorySlug && !category) errors.push(categoryNotFound(input.categorySlug));
    if (errors.length > 0) return { product: null, userErrors: errors };

    const product = await this.db.$transaction(async (tx) => {
      const updated = await this.repository.updateProduct(tx, id, {
        ...(input.name != null ? { name: input.name.trim() } : {}),
        ...(input.description != null ? { description: input.description.trim() } : {}),
        ...(input.priceAmount != null ? { priceAmount: input.priceAmount } : {}),
        ...(category ? { categoryId: category.id } : {}),
        ...(input.active != null ? { active: input.active } : {}),
      });
      if (updated) await this.announce(tx, ctx, id);
      return updated;
    });
    if (!product) return { product: null, userErrors: [productNotFound(id)] };
    ctx.log.info({ productId: id }, 'product updated');
    return { product, userErrors: [] };
  }

  /** Adds or removes units on hand; removing more than is unreserved is refused atomically. */
  async adjustStock(
    ctx: RequestContext,
    productId: string,
    delta: number,
  ): Promise<ProductPayload> {
    requireAdmin(ctx.principal);
    if (!Number.isInteger(delta) || delta === 0 || Math.abs(delta) > LIMITS.stock) {
      return {
        product: null,
        userErrors: [
          userError(
            UserErrorCode.INVALID_DELTA,
            `delta must be a non-zero integer within ±${LIMITS.stock}`,
            ['delta'],
          ),
        ],
      };
    }
    const outcome = await this.db.$transaction(async (tx) => {
      const adjusted = await this.repository.adjustOnHand(tx, productId, delta, LIMITS.stock);
      if (typeof adjusted !== 'string') await this.announce(tx, ctx, productId);
      return adjusted;
    });
    if (outcome === 'not-found')
      return { product: null, userErrors: [productNotFound(productId, ['productId'])] };
    if (outcome === 'insufficient') {
      return {
        product: null,
        userErrors: [
          userError(
            UserErrorCode.INSUFFICIENT_STOCK,
            `Stock on hand must stay between the reserved units and ${LIMITS.stock}`,
            ['delta'],
          ),
        ],
      };
    }
    ctx.log.info({ productId, delta }, 'stock adjusted');
    return { product: outcome, userErrors: [] };
  }

  /** ProductChanged in the same transaction as the write: the search index follows through the outbox. */
  private async announce(tx: Tx, ctx: RequestContext, productId: string): Promise<void> {
    await appendToOutbox(tx, outboxSource, productChanged([productId], ctx.requestId));
  }
}

function validateText(
  fields: Record<string, string>,
  max: number,
  code: UserErrorCode,
  pattern?: RegExp,
): CatalogUserError[] {
  return Object.entries(fields)
    .filter(
      ([, value]) =>
        value.length === 0 || value.length > max || (pattern !== undefined && !pattern.test(value)),
    )
    .map(([field]) =>
      userError(
        code,
        `${field} must be 1-${max} characters${pattern ? ' of letters, digits, ".", "_" or "-"' : ''}`,
        ['input', field],
      ),
    );
}

/** Checks the fields create and update share; absent (update) fields are not checked. */
function validateProductFields(input: {
  name?: string | null;
  description?: string | null;
  priceAmount?: number | null;
}): CatalogUserError[] {
  const errors: CatalogUserError[] = [];
  if (input.name != null)
    errors.push(
      ...validateText({ name: input.name.trim() }, LIMITS.name, UserErrorCode.INVALID_NAME),
    );
  if (input.description != null && input.description.length > LIMITS.description) {
    errors.push(
      userError(
        UserErrorCode.INVALID_DESCRIPTION,
        `description must be at most ${LIMITS.description} characters`,
        ['input', 'description'],
      ),
    );
  }
  if (
    input.priceAmount != null &&
    (!Number.isInteger(input.priceAmount) ||
      input.priceAmount < 0 ||
      input.priceAmount > LIMITS.price)
  ) {
    errors.push(
      userError(
        UserErrorCode.INVALID_PRICE,
        `priceAmount must be between 0 and ${LIMITS.price} minor units`,
        ['input', 'priceAmount'],
      ),
    );
  }
  return errors;
}

const categoryNotFound = (slug: string) =>
  userError(UserErrorCode.CATEGORY_NOT_FOUND, `No category with slug "${slug}"`, [
    'input',
    'categorySlug',
  ]);
const skuTaken = (sku: string) =>
  userError(UserErrorCode.SKU_TAKEN, `A product with sku "${sku}" exists`, ['input', 'sku']);
const productNotFound = (id: string, field = ['id']) =>
  userError(UserErrorCode.PRODUCT_NOT_FOUND, `No product with id "${id}"`, field);

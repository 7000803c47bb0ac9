import { requireAdmin } from '@microshop/auth';
import { Prisma, type Db, type Tx } from '@microshop/db';
import { appendToOutbox, createEvent } from '@microshop/events';
import { badUserInput, userError, type RequestContext, type UserError } from '@microshop/runtime';
import {
  isUuid,
  type CategoryRecord,
  type ListPosition,
  type ProductListFilter,
  type ProductRecord,
  type ProductRepository,
} from './product.repository.ts';
import { CATALOG_SOURCE } from './stock.service.ts';

/** The largest page a connection serves; more is a BAD_USER_INPUT, never a silent cut. */
export const MAX_PAGE_SIZE = 100;

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

export type ProductPayload = { product: ProductRecord | null; userErrors: UserError[] };
export type CategoryPayload = { category: CategoryRecord | null; userErrors: UserError[] };

export interface ProductPage {
  nodes: ProductRecord[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

/** Rejects a page size outside 0..MAX_PAGE_SIZE with BAD_USER_INPUT. */
export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, ['first']);
  }
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

function encodeListCursor(product: ProductRecord): string {
  return Buffer.from(JSON.stringify([product.createdAt.toISOString(), product.id])).toString(
    'base64url',
  );
}

function decodeListCursor(cursor: string): ListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      isUuid(value[1])
    ) {
      const createdAt = new Date(value[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: value[1] };
    }
  } catch {
    // fall through
  }
  throw badUserInput('Invalid cursor', ['after']);
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** Products and categories: reads, admin writes with validation, ProductChanged in the same transaction. */
export class ProductService {
  constructor(
    private readonly db: Db,
    private readonly repository: ProductRepository,
  ) {}

  async listProducts(
    _ctx: RequestContext,
    args: { first: number; after?: string | null; filter?: ProductFilterInput | null },
  ): Promise<ProductPage> {
    checkPageSize(args.first);
    checkFilter(args.filter);
    const after = args.after ? decodeListCursor(args.after) : null;
    const filter = await this.resolveFilter(args.filter);
    if (!filter) return { nodes: [], cursors: [], hasNextPage: false, totalCount: async () => 0 };
    const rows = await this.repository.listPage(filter, args.first, after);
    const nodes = rows.slice(0, args.first);
    return {
      nodes,
      cursors: nodes.map(encodeListCursor),
      hasNextPage: rows.length > args.first,
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
    const errors: UserError[] = [];
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > LIMITS.slug) {
      errors.push(
        userError(
          'INVALID_SLUG',
          `slug must be 1-${LIMITS.slug} lowercase letters, digits and single dashes`,
          ['input', 'slug'],
        ),
      );
    }
    if (name.length === 0 || name.length > LIMITS.categoryName) {
      errors.push(
        userError('INVALID_NAME', `name must be 1-${LIMITS.categoryName} characters`, [
          'input',
          'name',
        ]),
      );
    }
    if (errors.length > 0) return { category: null, userErrors: errors };
    try {
      const category = await this.db.category.create({
        data: { slug, name },
        select: { id: true, slug: true, name: true },
      });
      ctx.log.info({ categoryId: category.id, slug }, 'category created');
      return { category, userErrors: [] };
    } catch (error) {
      if (isUniqueViolation(error)) {
        return {
          category: null,
          userErrors: [
            userError('SLUG_TAKEN', `A category with slug "${slug}" exists`, ['input', 'slug']),
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
      ...validateText({ sku }, LIMITS.sku, 'INVALID_SKU', /^[A-Za-z0-9][A-Za-z0-9._-]*$/),
      ...validateProductFields(input),
    ];
    if (
      !Number.isInteger(input.initialStock) ||
      input.initialStock < 0 ||
      input.initialStock > LIMITS.stock
    ) {
      errors.push(
        userError('INVALID_STOCK', `initialStock must be between 0 and ${LIMITS.stock}`, [
          'input',
          'initialStock',
        ]),
      );
    }
    if (!/^[A-Z]{3}$/.test(input.currency)) {
      errors.push(
        userError('INVALID_CURRENCY', 'currency must be an ISO-4217 code such as EUR', [
          'input',
          'currency',
        ]),
      );
    }
    const category = input.categorySlug
      ? await this.repository.findCategoryBySlug(input.categorySlug)
      : null;
    if (input.categorySlug && !category) errors.push(categoryNotFound(input.categorySlug));
    if (
      errors.length === 0 &&
      (await this.db.product.findUnique({ where: { sku }, select: { id: true } }))
    ) {
      errors.push(skuTaken(sku));
    }
    if (errors.length > 0) return { product: null, userErrors: errors };

    try {
      const product = await this.db.$transaction(async (tx) => {
        const created = await tx.product.create({
          data: {
            sku,
            name: input.name.trim(),
            description: input.description.trim(),
            priceAmount: input.priceAmount,
            currency: input.currency,
            categoryId: category?.id ?? null,
            onHand: input.initialStock,
          },
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
      if (!isUuid(id) || !(await tx.product.findUnique({ where: { id }, select: { id: true } })))
        return null;
      const updated = await tx.product.update({
        where: { id },
        data: {
          ...(input.name != null ? { name: input.name.trim() } : {}),
          ...(input.description != null ? { description: input.description.trim() } : {}),
          ...(input.priceAmount != null ? { priceAmount: input.priceAmount } : {}),
          ...(category ? { categoryId: category.id } : {}),
          ...(input.active != null ? { active: input.active } : {}),
        },
      });
      await this.announce(tx, ctx, id);
      return updated;
    });
    if (!product) return { product: null, userErrors: [productNotFound(id)] };
    ctx.log.info({ productId: id }, 'product updated');
    return { product, userErrors: [] };
  }

  /**
   * Adds or removes units on hand. One conditional UPDATE: removing more than is unreserved is
   * refused atomically, however many reservations race with it.
   */
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
          userError('INVALID_DELTA', `delta must be a non-zero integer within ±${LIMITS.stock}`, [
            'delta',
          ]),
        ],
      };
    }
    if (!isUuid(productId))
      return { product: null, userErrors: [productNotFound(productId, ['productId'])] };
    const outcome = await this.db.$transaction(async (tx) => {
      const updated = await tx.$executeRaw`
        UPDATE products SET on_hand = on_hand + ${delta}, updated_at = now()
        WHERE id = ${productId}::uuid AND on_hand + ${delta} >= reserved AND on_hand + ${delta} <= ${LIMITS.stock}`;
      if (updated === 0) {
        const exists = await tx.product.findUnique({
          where: { id: productId },
          select: { id: true },
        });
        return exists ? 'insufficient' : 'not-found';
      }
      await this.announce(tx, ctx, productId);
      return tx.product.findUniqueOrThrow({ where: { id: productId } });
    });
    if (outcome === 'not-found')
      return { product: null, userErrors: [productNotFound(productId, ['productId'])] };
    if (outcome === 'insufficient') {
      return {
        product: null,
        userErrors: [
          userError(
            'INSUFFICIENT_STOCK',
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
    await appendToOutbox(tx, CATALOG_SOURCE, [
      createEvent('ProductChanged', productId, { productId }, ctx.requestId),
    ]);
  }
}

function validateText(
  fields: Record<string, string>,
  max: number,
  code: string,
  pattern?: RegExp,
): UserError[] {
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
}): UserError[] {
  const errors: UserError[] = [];
  if (input.name != null)
    errors.push(...validateText({ name: input.name.trim() }, LIMITS.name, 'INVALID_NAME'));
  if (input.description != null && input.description.length > LIMITS.description) {
    errors.push(
      userError(
        'INVALID_DESCRIPTION',
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
      userError('INVALID_PRICE', `priceAmount must be between 0 and ${LIMITS.price} minor units`, [
        'input',
        'priceAmount',
      ]),
    );
  }
  return errors;
}

const categoryNotFound = (slug: string) =>
  userError('CATEGORY_NOT_FOUND', `No category with slug "${slug}"`, ['input', 'categorySlug']);
const skuTaken = (sku: string) =>
  userError('SKU_TAKEN', `A product with sku "${sku}" exists`, ['input', 'sku']);
const productNotFound = (id: string, field = ['id']) =>
  userError('PRODUCT_NOT_FOUND', `No product with id "${id}"`, field);

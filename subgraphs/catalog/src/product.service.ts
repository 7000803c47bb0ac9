import { requireAdmin } from '@microshop/auth';
import { isUniqueViolation, type Db, type Tx } from '@microshop/db';
import { appendToOutbox } from '@microshop/events';
import {
  badUserInput,
  checkPageSize,
  userError,
  type RequestContext,
  type UserError,
} from '@microshop/runtime';
import {
  InvalidCursorError,
  type Facet,
  type SearchIndex,
  type SearchSortKey,
} from '@microshop/search';
import { outboxSource, productChanged } from './events.ts';
import { decodeListingCursor, encodeListingCursor, type ListingOrder } from './listing-order.ts';
import { UserErrorCode, type ProductSortKeys } from './generated/resolvers-types.ts';
import type { CatalogLoaders } from './loaders.ts';
import {
  optionKey,
  type CategoryRecord,
  type ProductListFilter,
  type ProductRecord,
  type ImageRecord,
  type ProductRepository,
  type SelectedOption,
  type VariantRecord,
} from './product.repository.ts';

/** What a variant without options is called (ProductVariant.title). */
export const DEFAULT_VARIANT_TITLE = 'Default';

/** A variant's title: its option values joined, e.g. `Red / M`. */
export function variantTitle(variant: Pick<VariantRecord, 'selectedOptions'>): string {
  return variant.selectedOptions.length === 0
    ? DEFAULT_VARIANT_TITLE
    : variant.selectedOptions.map((option) => option.value).join(' / ');
}

/** Units of a variant available to sell now; never negative. */
export function availableUnits(variant: Pick<VariantRecord, 'onHand' | 'reserved'>): number {
  return Math.max(0, variant.onHand - variant.reserved);
}

/** The units available over all of a product's variants: what `Product.stock` answers. */
export function totalAvailableUnits(
  variants: ReadonlyArray<Pick<VariantRecord, 'onHand' | 'reserved'>>,
): number {
  return variants.reduce((sum, variant) => sum + availableUnits(variant), 0);
}

/** A product's options: each name of its variants' options with its distinct values, in variant order. */
export function productOptions(
  variants: readonly VariantRecord[],
): Array<{ name: string; values: string[] }> {
  const options = new Map<string, string[]>();
  for (const variant of variants) {
    for (const { name, value } of variant.selectedOptions) {
      const values = options.get(name) ?? [];
      if (!values.includes(value)) values.push(value);
      options.set(name, values);
    }
  }
  return [...options.entries()].map(([name, values]) => ({ name, values }));
}

/**
 * The variant a request means: the named one, which must belong to the product, or, when none is
 * named, the product's only variant. The cart applies the same rule to its lines.
 */
export function chooseVariant(
  variants: readonly VariantRecord[],
  variantId: string | null | undefined,
): VariantRecord | 'not-found' | 'required' {
  if (variantId) return variants.find((variant) => variant.id === variantId) ?? 'not-found';
  const [only, ...others] = variants;
  return only && others.length === 0 ? only : 'required';
}

const LIMITS = {
  images: 20,
  imageUrl: 2048,
  altText: 512,
  options: 3,
  optionName: 50,
  optionValue: 100,
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
  options?: SelectedOption[] | null;
}

/** The search engine's order for a sort key of the API. */
const SEARCH_SORT: Record<ProductSortKeys, SearchSortKey> = {
  RELEVANCE: 'relevance',
  PRICE: 'price',
  NAME: 'name',
  CREATED_AT: 'createdAt',
};

export interface CreateProductInput {
  sku: string;
  name: string;
  description: string;
  priceAmount: number;
  currency: string;
  categorySlug?: string | null;
  initialStock: number;
  variantOptions?: SelectedOption[] | null;
}

export interface CreateVariantInput {
  sku: string;
  options: SelectedOption[];
  priceAmount: number;
  initialStock: number;
}

export interface UpdateVariantInput {
  sku?: string | null;
  options?: SelectedOption[] | null;
  priceAmount?: number | null;
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
export type VariantPayload = { variant: VariantRecord | null; userErrors: CatalogUserError[] };

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

  category(id: string): Promise<CategoryRecord | null> {
    return this.loaders.categoryById.load(id);
  }

  categoryBySlug(slug: string): Promise<CategoryRecord | null> {
    return this.repository.findCategoryBySlug(slug);
  }

  childrenOf(category: CategoryRecord): Promise<CategoryRecord[]> {
    return this.loaders.childrenById.load(category.id);
  }

  /** Its ancestors, root first. */
  breadcrumbsOf(category: CategoryRecord): Promise<CategoryRecord[]> {
    return this.loaders.ancestorsById.load(category.id);
  }

  /** A variant by id, its product active or not. */
  variant(id: string): Promise<VariantRecord | null> {
    return this.loaders.variantById.load(id);
  }

  /** The product's variants, oldest first (they came with the product when it was loaded by id). */
  variantsOf(product: Pick<ProductRecord, 'id'>): Promise<VariantRecord[]> {
    return this.loaders.variantsByProductId.load(product.id);
  }

  /** The product's images, in position order. */
  imagesOf(product: Pick<ProductRecord, 'id'>): Promise<ImageRecord[]> {
    return this.loaders.imagesByProductId.load(product.id);
  }

  /** Units available to sell now over all the product's variants. */
  async stockOf(product: Pick<ProductRecord, 'id'>): Promise<number> {
    const variants = await this.variantsOf(product);
    return totalAvailableUnits(variants);
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
      sortKey?: ProductSortKeys | null;
      reverse?: boolean | null;
    },
    /** Whether the caller selected the facets: the engine computes them only then. */
    facets: boolean,
  ): Promise<SearchPage> {
    const query = args.query.trim();
    if (query.length === 0) throw badUserInput('query must not be empty', ['query']);
    if (query.length > MAX_QUERY_LENGTH)
      throw badUserInput(`query must be at most ${MAX_QUERY_LENGTH} characters`, ['query']);
    checkPageSize(args.first);
    checkFilter(args.filter);
    const sortKey = args.sortKey ?? 'RELEVANCE';
    if (sortKey === 'RELEVANCE' && args.reverse)
      throw badUserInput('RELEVANCE is best first only: it has no reverse', ['reverse']);
    const { categorySlug, ...filter } = args.filter ?? {};
    // A category means it and its descendants; an unknown one, no category, matches nothing.
    const categorySlugs = categorySlug
      ? ((await this.repository.findSubtree(categorySlug))?.slugs ?? [])
      : undefined;
    let result;
    try {
      result = await this.searchIndex.search({
        query,
        first: args.first,
        after: args.after,
        filter: { ...filter, ...(categorySlugs ? { categorySlugs } : {}) },
        sort: { key: SEARCH_SORT[sortKey], descending: args.reverse ?? false },
        facets,
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
    args: {
      first: number;
      after?: string | null;
      filter?: ProductFilterInput | null;
      sortKey?: ProductSortKeys | null;
      reverse?: boolean | null;
    },
  ): Promise<ProductPage> {
    checkPageSize(args.first);
    checkFilter(args.filter);
    if (args.filter?.options)
      throw badUserInput('the options filter applies to searchProducts', ['filter', 'options']);
    const sortKey = args.sortKey ?? 'CREATED_AT';
    if (sortKey === 'RELEVANCE')
      throw badUserInput('RELEVANCE orders search results only', ['sortKey']);
    const order: ListingOrder = { key: sortKey, reverse: args.reverse ?? false };
    const after = args.after ? decodeListingCursor(order, args.after) : null;
    const filter = await this.resolveFilter(args.filter);
    if (!filter) return { nodes: [], cursors: [], hasNextPage: false, totalCount: async () => 0 };
    const rows = await this.repository.listPage(filter, args.first, after, order);
    const nodes = rows.slice(0, args.first);
    return {
      nodes,
      cursors: nodes.map((node) => encodeListingCursor(order, node)),
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
      const subtree = await this.repository.findSubtree(input.categorySlug);
      if (!subtree) return null;
      filter.categoryIds = subtree.ids;
    }
    return filter;
  }

  async listCategories(_ctx: RequestContext, rootsOnly: boolean): Promise<CategoryRecord[]> {
    return this.repository.listCategories(rootsOnly);
  }

  /** Moves a category in the tree; a move under itself or its own descendant is refused. */
  async setCategoryParent(
    ctx: RequestContext,
    slug: string,
    parentSlug: string | null,
  ): Promise<CategoryPayload> {
    requireAdmin(ctx.principal);
    const [category, parent] = await Promise.all([
      this.repository.findCategoryBySlug(slug),
      parentSlug ? this.repository.findCategoryBySlug(parentSlug) : null,
    ]);
    const errors: CatalogUserError[] = [];
    if (!category)
      errors.push(
        userError(UserErrorCode.CATEGORY_NOT_FOUND, `No category with slug "${slug}"`, ['slug']),
      );
    if (parentSlug && !parent)
      errors.push(
        userError(UserErrorCode.CATEGORY_NOT_FOUND, `No category with slug "${parentSlug}"`, [
          'parentSlug',
        ]),
      );
    if (!category || errors.length > 0) return { category: null, userErrors: errors };
    const moved = await this.db.$transaction((tx) =>
      this.repository.setParent(tx, category.id, parent?.id ?? null),
    );
    if (moved === 'cycle') {
      return {
        category: null,
        userErrors: [
          userError(
            UserErrorCode.CATEGORY_CYCLE,
            `"${parentSlug}" is "${slug}" itself or below it`,
            ['parentSlug'],
          ),
        ],
      };
    }
    ctx.log.info({ categoryId: category.id, parentId: moved.parentId }, 'category moved');
    return { category: moved, userErrors: [] };
  }

  async createCategory(
    ctx: RequestContext,
    input: { slug: string; name: string; parentSlug?: string | null },
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
    const parent = input.parentSlug
      ? await this.repository.findCategoryBySlug(input.parentSlug)
      : null;
    if (input.parentSlug && !parent)
      errors.push(
        userError(UserErrorCode.CATEGORY_NOT_FOUND, `No category with slug "${input.parentSlug}"`, [
          'input',
          'parentSlug',
        ]),
      );
    if (errors.length > 0) return { category: null, userErrors: errors };
    try {
      const category = await this.repository.createCategory({
        slug,
        name,
        parentId: parent?.id ?? null,
      });
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
    const errors = [...validateSku(sku), ...validateProductFields(input)];
    errors.push(...validateInitialStock(input.initialStock));
    const variantOptions = checkOptions(input.variantOptions ?? [], ['input', 'variantOptions']);
    errors.push(...variantOptions.errors);
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
        const created = await this.repository.createProduct(
          tx,
          {
            sku,
            name: input.name.trim(),
            description: input.description.trim(),
            currency: input.currency,
            categoryId: category?.id ?? null,
          },
          {
            sku,
            selectedOptions: variantOptions.options,
            priceAmount: input.priceAmount,
            onHand: input.initialStock,
          },
        );
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

  /**
   * Adds or removes units on hand of one variant (named, or the product's only one); removing
   * more than is unreserved is refused atomically.
   */
  async adjustStock(
    ctx: RequestContext,
    productId: string,
    delta: number,
    variantId?: string | null,
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
    const variants = await this.repository.findVariantsByProductIds([productId]);
    if (variants.length === 0)
      return { product: null, userErrors: [productNotFound(productId, ['productId'])] };
    const variant = chooseVariant(variants, variantId);
    if (typeof variant === 'string')
      return { product: null, userErrors: [variantChoiceError(variant, ['variantId'])] };
    const outcome = await this.db.$transaction(async (tx) => {
      const adjusted = await this.repository.adjustOnHand(tx, variant.id, delta, LIMITS.stock);
      if (adjusted === 'adjusted') await this.announce(tx, ctx, productId);
      return adjusted;
    });
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
    ctx.log.info({ productId, variantId: variant.id, delta }, 'stock adjusted');
    return { product: await this.freshProduct(productId), userErrors: [] };
  }

  /**
   * Adds a variant to a product. Under the product's row lock: its options name what the other
   * variants' name (so a product's options stay one set) in a combination none of them has.
   */
  async createProductVariant(
    ctx: RequestContext,
    productId: string,
    input: CreateVariantInput,
  ): Promise<VariantPayload> {
    requireAdmin(ctx.principal);
    const sku = input.sku.trim();
    const options = checkOptions(input.options, ['input', 'options']);
    const errors = [
      ...validateSku(sku),
      ...validateProductFields({ priceAmount: input.priceAmount }),
      ...validateInitialStock(input.initialStock),
      ...options.errors,
    ];
    if (errors.length === 0 && (await this.repository.existsWithSku(sku)))
      errors.push(skuTaken(sku));
    if (errors.length > 0) return { variant: null, userErrors: errors };
    return this.writeVariant(ctx, productId, sku, async (tx, variants) => {
      const placed = placeOptions(variants, options.options);
      if (!Array.isArray(placed)) return placed;
      return this.repository.createVariant(tx, productId, {
        sku,
        selectedOptions: placed,
        priceAmount: input.priceAmount,
        onHand: input.initialStock,
      });
    });
  }

  /** Changes a variant's sku, options (by the rules of createProductVariant) or price. */
  async updateProductVariant(
    ctx: RequestContext,
    id: string,
    input: UpdateVariantInput,
  ): Promise<VariantPayload> {
    requireAdmin(ctx.principal);
    const sku = input.sku?.trim();
    const options = input.options ? checkOptions(input.options, ['input', 'options']) : null;
    const errors = [
      ...(sku !== undefined ? validateSku(sku) : []),
      ...validateProductFields({ priceAmount: input.priceAmount }),
      ...(options?.errors ?? []),
    ];
    const current = await this.repository.findVariantsByIds([id]);
    const variant = current[0];
    if (!variant) errors.push(variantChoiceError('not-found', ['id']));
    if (
      errors.length === 0 &&
      sku &&
      sku !== variant?.sku &&
      (await this.repository.existsWithSku(sku))
    )
      errors.push(skuTaken(sku));
    if (!variant || errors.length > 0) return { variant: null, userErrors: errors };
    return this.writeVariant(ctx, variant.productId, sku ?? variant.sku, async (tx, variants) => {
      const others = variants.filter((other) => other.id !== variant.id);
      const placed = options ? placeOptions(others, options.options) : undefined;
      if (placed !== undefined && !Array.isArray(placed)) return placed;
      await this.repository.updateVariant(tx, variant, {
        ...(sku !== undefined ? { sku } : {}),
        ...(placed !== undefined ? { selectedOptions: placed } : {}),
        ...(input.priceAmount != null ? { priceAmount: input.priceAmount } : {}),
      });
      return variant.id;
    });
  }

  /**
   * One variant write in one transaction under the product's row lock, with its ProductChanged;
   * `write` answers the variant's id or why it refused. A sku taken by a concurrent write is
   * told as SKU_TAKEN.
   */
  private async writeVariant(
    ctx: RequestContext,
    productId: string,
    sku: string,
    write: (tx: Tx, variants: VariantRecord[]) => Promise<string | CatalogUserError>,
  ): Promise<VariantPayload> {
    let outcome: string | CatalogUserError;
    try {
      outcome = await this.db.$transaction(async (tx) => {
        const variants = await this.repository.lockProductVariants(tx, productId);
        if (!variants) return productNotFound(productId, ['productId']);
        const written = await write(tx, variants);
        if (typeof written === 'string') await this.announce(tx, ctx, productId);
        return written;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { variant: null, userErrors: [skuTaken(sku)] };
      throw error;
    }
    if (typeof outcome !== 'string') return { variant: null, userErrors: [outcome] };
    ctx.log.info({ productId, variantId: outcome, sku }, 'variant written');
    const [variant] = await this.repository.findVariantsByIds([outcome]);
    return { variant: variant ?? null, userErrors: [] };
  }

  /** Adds an image at `position` (0 first; the end when absent or beyond it). */
  async addProductImage(
    ctx: RequestContext,
    productId: string,
    input: { url: string; altText?: string | null; position?: number | null },
  ): Promise<ProductPayload> {
    requireAdmin(ctx.principal);
    const url = input.url.trim();
    const altText = (input.altText ?? '').trim();
    const errors = validateImage(url, altText);
    if (input.position != null && (!Number.isInteger(input.position) || input.position < 0))
      errors.push(
        userError(UserErrorCode.INVALID_IMAGE_POSITION, 'position must be 0 or more', [
          'input',
          'position',
        ]),
      );
    if (errors.length > 0) return { product: null, userErrors: errors };
    return this.writeImages(ctx, productId, (images) => {
      if (images.length >= LIMITS.images) {
        return userError(
          UserErrorCode.TOO_MANY_IMAGES,
          `A product has at most ${LIMITS.images} images`,
          ['productId'],
        );
      }
      const next: Array<Pick<ImageRecord, 'url' | 'altText'> & { id?: string }> = [...images];
      next.splice(input.position ?? images.length, 0, { url, altText });
      return next;
    });
  }

  async removeProductImage(ctx: RequestContext, id: string): Promise<ProductPayload> {
    requireAdmin(ctx.principal);
    const image = await this.repository.findImage(id);
    if (!image) return { product: null, userErrors: [imageNotFound(['id'])] };
    return this.writeImages(ctx, image.productId, (images) =>
      images.filter((other) => other.id !== id),
    );
  }

  /** Puts the product's images in the order of `imageIds`, which must list each of them once. */
  async reorderProductImages(
    ctx: RequestContext,
    productId: string,
    imageIds: readonly string[],
  ): Promise<ProductPayload> {
    requireAdmin(ctx.principal);
    return this.writeImages(ctx, productId, (images) => {
      const byId = new Map(images.map((image) => [image.id, image]));
      const ordered = imageIds.flatMap((id) => byId.get(id) ?? []);
      if (ordered.length !== images.length || new Set(imageIds).size !== imageIds.length)
        return userError(
          UserErrorCode.INVALID_IMAGE_ORDER,
          "imageIds must list each of the product's images exactly once",
          ['imageIds'],
        );
      return ordered;
    });
  }

  /**
   * One change of a product's images in one transaction under its row lock, with its
   * ProductChanged: `change` answers the new list (positions follow it) or why it refused.
   */
  private async writeImages(
    ctx: RequestContext,
    productId: string,
    change: (
      images: ImageRecord[],
    ) => Array<Pick<ImageRecord, 'url' | 'altText'> & { id?: string }> | CatalogUserError,
  ): Promise<ProductPayload> {
    const refusal = await this.db.$transaction(async (tx) => {
      if (!(await this.repository.lockProduct(tx, productId)))
        return productNotFound(productId, ['productId']);
      const next = change(await this.repository.findImagesByProductIds([productId], tx));
      if (!Array.isArray(next)) return next;
      await this.repository.replaceImages(tx, productId, next);
      await this.announce(tx, ctx, productId);
      return null;
    });
    if (refusal) return { product: null, userErrors: [refusal] };
    ctx.log.info({ productId }, 'product images changed');
    return { product: await this.freshProduct(productId), userErrors: [] };
  }

  /** The product as it is now, not as this request's loader may have seen it before a write. */
  private async freshProduct(id: string): Promise<ProductRecord | null> {
    this.loaders.productById.clear(id);
    this.loaders.variantsByProductId.clear(id);
    this.loaders.imagesByProductId.clear(id);
    return this.loaders.productById.load(id);
  }

  /** ProductChanged in the same transaction as the write: the search index follows through the outbox. */
  private async announce(tx: Tx, ctx: RequestContext, productId: string): Promise<void> {
    await appendToOutbox(tx, outboxSource, productChanged([productId], ctx.requestId));
  }
}

/** The options of a variant, trimmed, or why they are not acceptable. */
function checkOptions(
  input: readonly SelectedOption[],
  field: string[],
): { options: SelectedOption[]; errors: CatalogUserError[] } {
  const options = input.map((option) => ({ name: option.name.trim(), value: option.value.trim() }));
  const names = new Set(options.map((option) => option.name.toLowerCase()));
  const valid =
    options.length <= LIMITS.options &&
    names.size === options.length &&
    options.every(
      (option) =>
        option.name.length > 0 &&
        option.name.length <= LIMITS.optionName &&
        option.value.length > 0 &&
        option.value.length <= LIMITS.optionValue,
    );
  return valid
    ? { options, errors: [] }
    : {
        options,
        errors: [
          userError(
            UserErrorCode.INVALID_OPTIONS,
            `options must be at most ${LIMITS.options} distinct names of 1-${LIMITS.optionName} characters, each with a value of 1-${LIMITS.optionValue}`,
            field,
          ),
        ],
      };
}

/**
 * The options in the order of the other variants' option names, or why they cannot be a variant
 * beside them: other names (OPTIONS_MISMATCH) or a combination one of them has (OPTIONS_TAKEN).
 */
function placeOptions(
  others: readonly VariantRecord[],
  options: SelectedOption[],
): SelectedOption[] | CatalogUserError {
  const names = others[0]?.selectedOptions.map((option) => option.name);
  if (!names) return options;
  const byName = new Map(options.map((option) => [option.name.toLowerCase(), option]));
  const placed = names.flatMap((name) => {
    const option = byName.get(name.toLowerCase());
    return option ? [{ name, value: option.value }] : [];
  });
  if (placed.length !== options.length || placed.length !== names.length) {
    return userError(
      UserErrorCode.OPTIONS_MISMATCH,
      names.length === 0
        ? 'The product has a variant without options: give it options first (updateProductVariant)'
        : `The product's variants are defined by ${names.join(', ')}`,
      ['input', 'options'],
    );
  }
  const key = optionKey(placed);
  if (others.some((other) => optionKey(other.selectedOptions) === key)) {
    return userError(
      UserErrorCode.OPTIONS_TAKEN,
      'Another variant of the product has these option values',
      ['input', 'options'],
    );
  }
  return placed;
}

function validateSku(sku: string): CatalogUserError[] {
  return validateText(
    { sku },
    LIMITS.sku,
    UserErrorCode.INVALID_SKU,
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
  );
}

function validateInitialStock(initialStock: number): CatalogUserError[] {
  return Number.isInteger(initialStock) && initialStock >= 0 && initialStock <= LIMITS.stock
    ? []
    : [
        userError(
          UserErrorCode.INVALID_STOCK,
          `initialStock must be between 0 and ${LIMITS.stock}`,
          ['input', 'initialStock'],
        ),
      ];
}

/** An absolute http(s) URL of at most LIMITS.imageUrl characters, and alt text within its limit. */
function validateImage(url: string, altText: string): CatalogUserError[] {
  const errors: CatalogUserError[] = [];
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || url.length > LIMITS.imageUrl) {
    errors.push(
      userError(
        UserErrorCode.INVALID_IMAGE_URL,
        `url must be an absolute http(s) URL of at most ${LIMITS.imageUrl} characters`,
        ['input', 'url'],
      ),
    );
  }
  if (altText.length > LIMITS.altText)
    errors.push(
      userError(
        UserErrorCode.INVALID_ALT_TEXT,
        `altText must be at most ${LIMITS.altText} characters`,
        ['input', 'altText'],
      ),
    );
  return errors;
}

const imageNotFound = (field: string[]) =>
  userError(UserErrorCode.IMAGE_NOT_FOUND, 'No product image has this id', field);

/** Why chooseVariant found no variant. */
export function variantChoiceError(
  reason: 'not-found' | 'required',
  field: string[],
): CatalogUserError {
  return reason === 'not-found'
    ? userError(
        UserErrorCode.VARIANT_NOT_FOUND,
        'No variant with this id belongs to the product',
        field,
      )
    : userError(
        UserErrorCode.VARIANT_REQUIRED,
        'The product has several variants: name one (variantId)',
        field,
      );
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

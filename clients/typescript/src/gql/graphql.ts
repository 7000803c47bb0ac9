/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Credentials of an existing account. */
export type LogInInput = {
  /** Email address of the account. */
  email: string;
  /** The account's password. */
  password: string;
};

/** Where an order is in its life. */
export type OrderStatus =
  /** Cancelled by the customer or an administrator, or rejected (e.g. out of stock). */
  | 'CANCELLED'
  /** Stock reserved and payment authorized. */
  | 'CONFIRMED'
  /** Received by the customer. */
  | 'DELIVERED'
  /** The payment was declined; the reserved stock is released. */
  | 'PAYMENT_FAILED'
  /** Accepted and published; stock and payment are not settled yet. */
  | 'PENDING'
  /** Handed to the carrier. */
  | 'SHIPPED';

/** Where a payment stands at the payment provider. */
export type PaymentStatus =
  /** The amount is held on the card; it is captured when the order ships. */
  | 'AUTHORIZED'
  /** The amount was charged (the order shipped). */
  | 'CAPTURED'
  /** The provider refused the payment; see failureReason. */
  | 'DECLINED'
  /** The authorization was released because the order was cancelled. */
  | 'REFUNDED';

/** What placeOrder needs besides the caller's cart. */
export type PlaceOrderInput = {
  /** A key chosen by the client per checkout: the same key from the same customer returns the same order, never a second one. */
  idempotencyKey: string;
  /** A payment token from the payment provider; mock tokens: `tok_visa` authorizes, `tok_chargeDeclined` is declined. */
  paymentToken: string;
};

/** Restricts which products a listing or a search returns. */
export type ProductFilter = {
  /** Only products of the category with this slug. */
  categorySlug?: string | null | undefined;
  /** Only products with at least one unit available. */
  inStockOnly?: boolean | null | undefined;
  /** Only products priced at most this amount (minor units). */
  maxPrice?: number | null | undefined;
  /** Only products priced at least this amount (minor units). */
  minPrice?: number | null | undefined;
};

/** What an account may do: customers shop, administrators also manage the catalog and orders. */
export type Role =
  /** An administrator: manages products, stock and every order. */
  | 'ADMIN'
  /** A shopper: manages their own cart and orders. */
  | 'CUSTOMER';

/** Details of a new account. */
export type SignUpInput = {
  /** Email address; compared case-insensitively. */
  email: string;
  /** Display name, 1 to 100 characters. */
  name: string;
  /** At least 10 characters mixing at least two of: lower case, upper case, digits, other characters; at most 256. */
  password: string;
};

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { accessToken: string | null, refreshToken: string | null, expiresIn: number | null, user: { id: string, email: string, name: string, role: Role, createdAt: string } | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { logIn: { accessToken: string | null, refreshToken: string | null, expiresIn: number | null, user: { id: string, email: string, name: string, role: Role, createdAt: string } | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type RefreshTokenMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshTokenMutation = { refreshToken: { accessToken: string | null, refreshToken: string | null, expiresIn: number | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type LogOutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogOutMutation = { logOut: boolean };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, name: string, role: Role, createdAt: string } | null };

export type CartQueryVariables = Exact<{ [key: string]: never; }>;


export type CartQuery = { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }> } };

export type AddToCartMutationVariables = Exact<{
  productId: string | number;
  quantity: number;
}>;


export type AddToCartMutation = { addToCart: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }> } | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type UpdateCartItemMutationVariables = Exact<{
  productId: string | number;
  quantity: number;
}>;


export type UpdateCartItemMutation = { updateCartItem: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }> } | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type RemoveFromCartMutationVariables = Exact<{
  productId: string | number;
}>;


export type RemoveFromCartMutation = { removeFromCart: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }> } | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type ClearCartMutationVariables = Exact<{ [key: string]: never; }>;


export type ClearCartMutation = { clearCart: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }> } | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type ProductsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ProductFilter | null | undefined;
}>;


export type ProductsQuery = { products: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }> } };

export type ProductQueryVariables = Exact<{
  id: string | number;
}>;


export type ProductQuery = { product: { description: string, id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } | null };

export type SearchProductsQueryVariables = Exact<{
  query: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ProductFilter | null | undefined;
}>;


export type SearchProductsQuery = { searchProducts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }>, facets: Array<{ name: string, values: Array<{ value: string, count: number }> }> } };

export type CategoriesQueryVariables = Exact<{ [key: string]: never; }>;


export type CategoriesQuery = { categories: Array<{ id: string, slug: string, name: string }> };

export type ProductChangedSubscriptionVariables = Exact<{
  productId: string | number;
}>;


export type ProductChangedSubscription = { productChanged: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } };

export type UserErrorFieldsFragment = { code: string, message: string, field: Array<string> | null };

export type MoneyFieldsFragment = { amount: number, currency: string };

export type AccountFieldsFragment = { id: string, email: string, name: string, role: Role, createdAt: string };

export type ProductSummaryFragment = { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null };

export type CartFieldsFragment = { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }> };

export type OrderFieldsFragment = { id: string, status: OrderStatus, createdAt: string, total: { amount: number, currency: string }, items: Array<{ productName: string, quantity: number, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null };

export type PlaceOrderMutationVariables = Exact<{
  input: PlaceOrderInput;
}>;


export type PlaceOrderMutation = { placeOrder: { order: { id: string, status: OrderStatus, createdAt: string, total: { amount: number, currency: string }, items: Array<{ productName: string, quantity: number, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null } | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type OrderQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderQuery = { order: { id: string, status: OrderStatus, createdAt: string, total: { amount: number, currency: string }, items: Array<{ productName: string, quantity: number, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null } | null };

export type MyOrdersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyOrdersQuery = { me: { id: string, orders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, status: OrderStatus, createdAt: string, total: { amount: number, currency: string } } }> } } | null };

export type CancelOrderMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelOrderMutation = { cancelOrder: { order: { id: string, status: OrderStatus, createdAt: string, total: { amount: number, currency: string }, items: Array<{ productName: string, quantity: number, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null } | null, userErrors: Array<{ code: string, message: string, field: Array<string> | null }> } };

export type OrderStatusChangedSubscriptionVariables = Exact<{
  orderId: string | number;
}>;


export type OrderStatusChangedSubscription = { orderStatusChanged: { id: string, status: OrderStatus, createdAt: string, total: { amount: number, currency: string }, items: Array<{ productName: string, quantity: number, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const UserErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserErrorFields on UserError {
  code
  message
  field
}
    `, {"fragmentName":"UserErrorFields"}) as unknown as TypedDocumentString<UserErrorFieldsFragment, unknown>;
export const AccountFieldsFragmentDoc = new TypedDocumentString(`
    fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
}
    `, {"fragmentName":"AccountFields"}) as unknown as TypedDocumentString<AccountFieldsFragment, unknown>;
export const MoneyFieldsFragmentDoc = new TypedDocumentString(`
    fragment MoneyFields on Money {
  amount
  currency
}
    `, {"fragmentName":"MoneyFields"}) as unknown as TypedDocumentString<MoneyFieldsFragment, unknown>;
export const ProductSummaryFragmentDoc = new TypedDocumentString(`
    fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"ProductSummary"}) as unknown as TypedDocumentString<ProductSummaryFragment, unknown>;
export const CartFieldsFragmentDoc = new TypedDocumentString(`
    fragment CartFields on Cart {
  id
  totalQuantity
  subtotal {
    ...MoneyFields
  }
  items {
    quantity
    lineTotal {
      ...MoneyFields
    }
    product {
      ...ProductSummary
    }
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}`, {"fragmentName":"CartFields"}) as unknown as TypedDocumentString<CartFieldsFragment, unknown>;
export const OrderFieldsFragmentDoc = new TypedDocumentString(`
    fragment OrderFields on Order {
  id
  status
  createdAt
  total {
    ...MoneyFields
  }
  items {
    productName
    quantity
    unitPrice {
      ...MoneyFields
    }
    lineTotal {
      ...MoneyFields
    }
    product {
      id
      name
      inStock
    }
  }
  statusHistory {
    status
    at
    reason
  }
  payment {
    id
    status
    failureReason
    amount {
      ...MoneyFields
    }
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"OrderFields"}) as unknown as TypedDocumentString<OrderFieldsFragment, unknown>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    accessToken
    refreshToken
    expiresIn
    user {
      ...AccountFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}
fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
}`, {"hash":"sha256:248e42eb9bdfbe695a77e114b7f38517c32554de696b59843e3f2be8364b3557"}) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    accessToken
    refreshToken
    expiresIn
    user {
      ...AccountFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}
fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
}`, {"hash":"sha256:4be875ad3904ce057ed2355c09c5ed5431a12d292c18e1b6f5404cd34fe29b1e"}) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const RefreshTokenDocument = new TypedDocumentString(`
    mutation RefreshToken($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    accessToken
    refreshToken
    expiresIn
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}`, {"hash":"sha256:db386502704b17847ec36232d88028cffa4f7f903ec6d47edf7480a787f1ad89"}) as unknown as TypedDocumentString<RefreshTokenMutation, RefreshTokenMutationVariables>;
export const LogOutDocument = new TypedDocumentString(`
    mutation LogOut($refreshToken: String!) {
  logOut(refreshToken: $refreshToken)
}
    `, {"hash":"sha256:9c79a1268593654e557bf80cabe837c8e02f9099a44da6f8f285db0e3b8010a4"}) as unknown as TypedDocumentString<LogOutMutation, LogOutMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...AccountFields
  }
}
    fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
}`, {"hash":"sha256:991390366d1452b58d4e0c394fd8836c138f9884cc073cca4ec79c3384723dda"}) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const CartDocument = new TypedDocumentString(`
    query Cart {
  cart {
    ...CartFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}
fragment CartFields on Cart {
  id
  totalQuantity
  subtotal {
    ...MoneyFields
  }
  items {
    quantity
    lineTotal {
      ...MoneyFields
    }
    product {
      ...ProductSummary
    }
  }
}`, {"hash":"sha256:947ade62817ff340d437d443eda60331a6e1479c028ce18a32d7e1bc99eac238"}) as unknown as TypedDocumentString<CartQuery, CartQueryVariables>;
export const AddToCartDocument = new TypedDocumentString(`
    mutation AddToCart($productId: ID!, $quantity: Int!) {
  addToCart(productId: $productId, quantity: $quantity) {
    cart {
      ...CartFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}
fragment CartFields on Cart {
  id
  totalQuantity
  subtotal {
    ...MoneyFields
  }
  items {
    quantity
    lineTotal {
      ...MoneyFields
    }
    product {
      ...ProductSummary
    }
  }
}`, {"hash":"sha256:55eef690add674a134951051dc87cf7bf7f1182edddbe70e8feba3592f4a033c"}) as unknown as TypedDocumentString<AddToCartMutation, AddToCartMutationVariables>;
export const UpdateCartItemDocument = new TypedDocumentString(`
    mutation UpdateCartItem($productId: ID!, $quantity: Int!) {
  updateCartItem(productId: $productId, quantity: $quantity) {
    cart {
      ...CartFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}
fragment CartFields on Cart {
  id
  totalQuantity
  subtotal {
    ...MoneyFields
  }
  items {
    quantity
    lineTotal {
      ...MoneyFields
    }
    product {
      ...ProductSummary
    }
  }
}`, {"hash":"sha256:d05d2dac31d9fe9f356b6c92b3724611d3a552409b2f5ce400856160cede095a"}) as unknown as TypedDocumentString<UpdateCartItemMutation, UpdateCartItemMutationVariables>;
export const RemoveFromCartDocument = new TypedDocumentString(`
    mutation RemoveFromCart($productId: ID!) {
  removeFromCart(productId: $productId) {
    cart {
      ...CartFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}
fragment CartFields on Cart {
  id
  totalQuantity
  subtotal {
    ...MoneyFields
  }
  items {
    quantity
    lineTotal {
      ...MoneyFields
    }
    product {
      ...ProductSummary
    }
  }
}`, {"hash":"sha256:27c00adc64818afac0a80429fd483de39609690fe2f9ee3a142bfe75c9b091fe"}) as unknown as TypedDocumentString<RemoveFromCartMutation, RemoveFromCartMutationVariables>;
export const ClearCartDocument = new TypedDocumentString(`
    mutation ClearCart {
  clearCart {
    cart {
      ...CartFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}
fragment CartFields on Cart {
  id
  totalQuantity
  subtotal {
    ...MoneyFields
  }
  items {
    quantity
    lineTotal {
      ...MoneyFields
    }
    product {
      ...ProductSummary
    }
  }
}`, {"hash":"sha256:afd3d84d824cab06ced776b2df2c4c40c69ac01aeb8270bec00d6ecac2101e3a"}) as unknown as TypedDocumentString<ClearCartMutation, ClearCartMutationVariables>;
export const ProductsDocument = new TypedDocumentString(`
    query Products($first: Int = 20, $after: String, $filter: ProductFilter) {
  products(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...ProductSummary
      }
    }
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}`, {"hash":"sha256:e7b0c230902cda6106990caff6560d0031e821e54857643c1428b739b6c38f8b"}) as unknown as TypedDocumentString<ProductsQuery, ProductsQueryVariables>;
export const ProductDocument = new TypedDocumentString(`
    query Product($id: ID!) {
  product(id: $id) {
    ...ProductSummary
    description
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}`, {"hash":"sha256:8c73d2df80ee268e28285cac00506b112c84d17668a07bcb8f7722537c098460"}) as unknown as TypedDocumentString<ProductQuery, ProductQueryVariables>;
export const SearchProductsDocument = new TypedDocumentString(`
    query SearchProducts($query: String!, $first: Int = 20, $after: String, $filter: ProductFilter) {
  searchProducts(query: $query, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...ProductSummary
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
    fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}`, {"hash":"sha256:412e72e69014b89b18cd6e9cecba77a7aaf2876bdfeae6eb752e6fae862700b4"}) as unknown as TypedDocumentString<SearchProductsQuery, SearchProductsQueryVariables>;
export const CategoriesDocument = new TypedDocumentString(`
    query Categories {
  categories {
    id
    slug
    name
  }
}
    `, {"hash":"sha256:3ecc50b53c102988dc2f720cfd25588071686b56d8d8e8baf8dd0d3226fb3581"}) as unknown as TypedDocumentString<CategoriesQuery, CategoriesQueryVariables>;
export const ProductChangedDocument = new TypedDocumentString(`
    subscription ProductChanged($productId: ID!) {
  productChanged(productId: $productId) {
    ...ProductSummary
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment ProductSummary on Product {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  inStock
  stock
  category {
    id
    slug
    name
  }
}`, {"hash":"sha256:f76746fe77f1d2f98bf15388d5fb2b616070155ad4dd9cf540cde2be2ea26c36"}) as unknown as TypedDocumentString<ProductChangedSubscription, ProductChangedSubscriptionVariables>;
export const PlaceOrderDocument = new TypedDocumentString(`
    mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order {
      ...OrderFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment OrderFields on Order {
  id
  status
  createdAt
  total {
    ...MoneyFields
  }
  items {
    productName
    quantity
    unitPrice {
      ...MoneyFields
    }
    lineTotal {
      ...MoneyFields
    }
    product {
      id
      name
      inStock
    }
  }
  statusHistory {
    status
    at
    reason
  }
  payment {
    id
    status
    failureReason
    amount {
      ...MoneyFields
    }
  }
}`, {"hash":"sha256:dfa0b0f2d401ae033c625d7dbd7beb24c6f59ca814849cd0131388250267598f"}) as unknown as TypedDocumentString<PlaceOrderMutation, PlaceOrderMutationVariables>;
export const OrderDocument = new TypedDocumentString(`
    query Order($id: ID!) {
  order(id: $id) {
    ...OrderFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment OrderFields on Order {
  id
  status
  createdAt
  total {
    ...MoneyFields
  }
  items {
    productName
    quantity
    unitPrice {
      ...MoneyFields
    }
    lineTotal {
      ...MoneyFields
    }
    product {
      id
      name
      inStock
    }
  }
  statusHistory {
    status
    at
    reason
  }
  payment {
    id
    status
    failureReason
    amount {
      ...MoneyFields
    }
  }
}`, {"hash":"sha256:45d5c98c70adfe9520189832f05d63b2ef2437ac31539144fa0e80deecbd47fa"}) as unknown as TypedDocumentString<OrderQuery, OrderQueryVariables>;
export const MyOrdersDocument = new TypedDocumentString(`
    query MyOrders($first: Int = 20, $after: String) {
  me {
    id
    orders(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          status
          createdAt
          total {
            ...MoneyFields
          }
        }
      }
    }
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:a3cb737455e3e921f33f69b7e2a8bfd94b1fe2e8d13c14039e445275b935e53d"}) as unknown as TypedDocumentString<MyOrdersQuery, MyOrdersQueryVariables>;
export const CancelOrderDocument = new TypedDocumentString(`
    mutation CancelOrder($id: ID!) {
  cancelOrder(id: $id) {
    order {
      ...OrderFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment OrderFields on Order {
  id
  status
  createdAt
  total {
    ...MoneyFields
  }
  items {
    productName
    quantity
    unitPrice {
      ...MoneyFields
    }
    lineTotal {
      ...MoneyFields
    }
    product {
      id
      name
      inStock
    }
  }
  statusHistory {
    status
    at
    reason
  }
  payment {
    id
    status
    failureReason
    amount {
      ...MoneyFields
    }
  }
}`, {"hash":"sha256:ab3415ce6c0861edfed10f90c65b6a987a9ff8c59e64dd68fa7caf5824d4a49b"}) as unknown as TypedDocumentString<CancelOrderMutation, CancelOrderMutationVariables>;
export const OrderStatusChangedDocument = new TypedDocumentString(`
    subscription OrderStatusChanged($orderId: ID!) {
  orderStatusChanged(orderId: $orderId) {
    ...OrderFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment OrderFields on Order {
  id
  status
  createdAt
  total {
    ...MoneyFields
  }
  items {
    productName
    quantity
    unitPrice {
      ...MoneyFields
    }
    lineTotal {
      ...MoneyFields
    }
    product {
      id
      name
      inStock
    }
  }
  statusHistory {
    status
    at
    reason
  }
  payment {
    id
    status
    failureReason
    amount {
      ...MoneyFields
    }
  }
}`, {"hash":"sha256:7a53f9daa32d58719463f6cf6be065c85b52eedda027c72841201a7893626ec9"}) as unknown as TypedDocumentString<OrderStatusChangedSubscription, OrderStatusChangedSubscriptionVariables>;
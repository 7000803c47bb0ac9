/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A new address of the caller's address book. */
export type AddAddressInput = {
  /** The address. */
  address: AddressInput;
  /** Make it the default billing address. */
  defaultBilling?: boolean | null | undefined;
  /** Make it the default shipping address (the first address of a book is both defaults anyway). */
  defaultShipping?: boolean | null | undefined;
};

/** A new picture of a product. */
export type AddProductImageInput = {
  /** Text describing the picture (at most 512 characters); empty when omitted. */
  altText?: string | null | undefined;
  /** Its place among the product's images, 0 first; at the end when omitted or beyond it. */
  position?: number | null | undefined;
  /** An absolute http(s) URL (at most 2048 characters). */
  url: string;
};

/** An address as a form sends it. Every field is optional here so that a missing one comes back as a userError naming it (ADDRESS_FIELD_REQUIRED). */
export type AddressInput = {
  /** City or town; required. */
  city?: string | null | undefined;
  /** ISO 3166-1 alpha-2 country code (e.g. DE, US); required. */
  country?: string | null | undefined;
  /** Street and number; required, at most 200 characters. */
  line1?: string | null | undefined;
  /** Apartment, floor, company; optional. */
  line2?: string | null | undefined;
  /** The recipient's name; required, at most 100 characters. */
  name?: string | null | undefined;
  /** A phone number for the carrier; optional, digits with an optional leading + and separators. */
  phone?: string | null | undefined;
  /** Postal code; required except in countries without postal codes, checked against the country's shape. */
  postalCode?: string | null | undefined;
  /** State, province or territory; required in US, CA, AU, BR, MX and IN. */
  region?: string | null | undefined;
};

/** What approveReturn needs. */
export type ApproveReturnInput = {
  /** The return request to approve. */
  returnRequestId: string | number;
};

/** An address at checkout: one of the caller's address book (addressId) or one written out (address); exactly one of the two. */
export type CheckoutAddressInput = {
  /** An address written out; it is saved to the caller's address book once the order is placed. */
  address?: AddressInput | null | undefined;
  /** The id of an address of the caller's address book (User.addresses). */
  addressId?: string | number | null | undefined;
};

/** What checkoutPreview prices: placeOrder's checkout fields, without placing anything. */
export type CheckoutInput = {
  /** As PlaceOrderInput.billingAddress. */
  billingAddress?: CheckoutAddressInput | null | undefined;
  /** As PlaceOrderInput.discountCode. */
  discountCode?: string | null | undefined;
  /** As PlaceOrderInput.shippingAddress. */
  shippingAddress?: CheckoutAddressInput | null | undefined;
  /** As PlaceOrderInput.shippingMethodCode; omitted with a shipping address, the preview leaves shipping at 0 and lists the methods to choose from. */
  shippingMethodCode?: string | null | undefined;
};

/** A new category. */
export type CreateCategoryInput = {
  /** Display name (1 to 100 characters). */
  name: string;
  /** Slug of an existing category to place it under; a root when omitted. */
  parentSlug?: string | null | undefined;
  /** Unique, URL-friendly key: lowercase letters, digits and dashes (1 to 64 characters). */
  slug: string;
};

/** A new discount code. */
export type CreateDiscountCodeInput = {
  /** 3 to 40 letters, digits, '-' or '_'; stored upper case, unique. */
  code: string;
  /** ISO-4217 code of the carts it applies to. */
  currency: string;
  /** When it stops applying; omitted for never. */
  expiresAt?: string | null | undefined;
  /** Percentage or fixed amount. */
  kind: DiscountKind;
  /** The least subtotal in minor units (default 0). */
  minimumSubtotal?: number | null | undefined;
  /** Uses in all; omitted for no limit. */
  usageLimit?: number | null | undefined;
  /** Uses per customer; omitted for no limit. */
  usageLimitPerCustomer?: number | null | undefined;
  /** 1 to 100 (PERCENTAGE) or a positive amount in minor units (FIXED_AMOUNT). */
  value: number;
};

/** A new variant of an existing product. */
export type CreateProductVariantInput = {
  /** Units on hand to start with; zero or more. */
  initialStock: number;
  /** Its option values: the same option names as the product's other variants, a combination none of them has. */
  options: Array<SelectedOptionInput>;
  /** Unit price in minor units (in the product's currency); zero or more. */
  priceAmount: number;
  /** Unique stock keeping unit among variants (1 to 64 characters). */
  sku: string;
};

/** How a discount code lowers the subtotal. */
export type DiscountKind =
  /** value minor units of the code's currency, at most the subtotal. */
  | 'FIXED_AMOUNT'
  /** value percent of the subtotal (1 to 100), rounded half up. */
  | 'PERCENTAGE';

/** Credentials of an existing account. */
export type LogInInput = {
  /** Email address of the account. */
  email: string;
  /** The account's password. */
  password: string;
};

/** An amount of money as an argument. */
export type MoneyInput = {
  /** The amount in minor units (e.g. 1999 is 19.99). */
  amount: number;
  /** ISO-4217 currency code, e.g. EUR. */
  currency: string;
};

/** Who did something to an order. */
export type OrderActor =
  /** An administrator. */
  | 'ADMIN'
  /** The customer who placed the order. */
  | 'CUSTOMER'
  /** The shop itself: the saga (stock, payments) acting on events. */
  | 'SYSTEM';

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

/** What an order timeline entry records. */
export type OrderTimelineEntryKind =
  /** The payment provider authorized `amount`. */
  | 'PAYMENT_AUTHORIZED'
  /** `amount` was captured (charged) when the order shipped. */
  | 'PAYMENT_CAPTURED'
  /** The payment provider declined the payment; `note` says why. */
  | 'PAYMENT_DECLINED'
  /** The authorization of `amount` was released because the order was cancelled before shipping. */
  | 'PAYMENT_REFUNDED'
  /** `amount` of captured money was given back; `note` says why. */
  | 'REFUND_ISSUED'
  /** An ADMIN approved the return `returnRequestId`; a refund follows. */
  | 'RETURN_APPROVED'
  /** An ADMIN rejected the return `returnRequestId`; `note` says why. */
  | 'RETURN_REJECTED'
  /** The customer asked to return lines worth `amount` (request `returnRequestId`). */
  | 'RETURN_REQUESTED'
  /** The order moved to `status`. */
  | 'STATUS_CHANGED';

/** Where a payment stands at the payment provider. */
export type PaymentStatus =
  /** The amount is held on the card; it is captured when the order ships. */
  | 'AUTHORIZED'
  /** The amount was charged (the order shipped). */
  | 'CAPTURED'
  /** The provider refused the payment; see failureReason. */
  | 'DECLINED'
  /** Part of the captured amount was refunded; refundedAmount says how much. */
  | 'PARTIALLY_REFUNDED'
  /** Nothing is held or charged any more: the authorization was released (the order was cancelled before shipping), or every captured amount was refunded. */
  | 'REFUNDED';

/** What placeOrder needs besides the caller's cart. */
export type PlaceOrderInput = {
  /** Whom to bill. Omitted: the shipping address. Tax is charged at the rate of the shipping address's country, else the billing address's; with neither, no tax. */
  billingAddress?: CheckoutAddressInput | null | undefined;
  /** A discount code, in any case. Its use is taken in the order's transaction and given back if the order ends PAYMENT_FAILED or CANCELLED. */
  discountCode?: string | null | undefined;
  /** A key chosen by the client per checkout: the same key from the same customer returns the same order, never a second one. */
  idempotencyKey: string;
  /** A payment token from the payment provider; mock tokens: `tok_visa` authorizes, `tok_chargeDeclined` is declined. */
  paymentToken: string;
  /** Where to ship. Omitted: nothing is shipped (digital goods, pickup): no shipping method, no shipping charge. */
  shippingAddress?: CheckoutAddressInput | null | undefined;
  /** A code of checkoutPreview's availableShippingMethods; required with a shipping address. */
  shippingMethodCode?: string | null | undefined;
};

/** Restricts which products a listing or a search returns. */
export type ProductFilter = {
  /** Only products of the category with this slug or of any category below it. */
  categorySlug?: string | null | undefined;
  /** Only products with at least one unit available. */
  inStockOnly?: boolean | null | undefined;
  /** Only products priced at most this amount (minor units). */
  maxPrice?: number | null | undefined;
  /** Only products priced at least this amount (minor units). */
  minPrice?: number | null | undefined;
  /** searchProducts only (BAD_USER_INPUT in products): products with one variant having these option values, compared case-insensitively; any of the values given for one option, every option given, all on that one variant (e.g. Colour Red or Blue, and Size M: a Red M or a Blue M variant). */
  options?: Array<SelectedOptionInput> | null | undefined;
};

/** The orders products can be listed or searched in (with `reverse` for descending). */
export type ProductSortKeys =
  /** By when the product was created: oldest first, newest first with `reverse`. */
  | 'CREATED_AT'
  /** By name, A to Z; Z to A with `reverse`. */
  | 'NAME'
  /** By price (a product's lowest variant price): cheapest first, dearest first with `reverse`. */
  | 'PRICE'
  /** By how well the product matches the search query, best first (searchProducts only; no `reverse`). */
  | 'RELEVANCE';

/** What refundOrder needs. */
export type RefundOrderInput = {
  /** How much to give back, in minor units of the payment's currency (at least 1); omitted: all that was captured and not refunded yet. */
  amount?: number | null | undefined;
  /** A key chosen by the ADMIN per refund: the same key for the same order returns the first refund, never a second one. */
  idempotencyKey: string;
  /** The order whose captured payment to refund. */
  orderId: string | number;
  /** Why (1 to 500 characters); shown in the order's timeline. */
  reason: string;
};

/** What rejectReturn needs. */
export type RejectReturnInput = {
  /** Why (1 to 500 characters); shown to the customer. */
  reason: string;
  /** The return request to reject. */
  returnRequestId: string | number;
};

/** What requestReturn needs. */
export type RequestReturnInput = {
  /** The lines and quantities (1 to 100 lines, each position once). */
  lines: Array<ReturnLineInput>;
  /** The DELIVERED order to return lines of. */
  orderId: string | number;
  /** Why (1 to 500 characters). */
  reason: string;
};

/** Units of one order line to send back. */
export type ReturnLineInput = {
  /** The line's position in the order (OrderItem.position). */
  position: number;
  /** How many units (at least 1). */
  quantity: number;
};

/** Where a return request stands. */
export type ReturnStatus =
  /** Approved by an ADMIN; the refund is on its way. */
  | 'APPROVED'
  /** Approved and refunded. */
  | 'REFUNDED'
  /** Rejected by an ADMIN; see rejectionReason. */
  | 'REJECTED'
  /** Asked for by the customer; an ADMIN decides. */
  | 'REQUESTED';

/** What an account may do: customers shop, administrators also manage the catalog and orders. */
export type Role =
  /** An administrator: manages products, stock and every order. */
  | 'ADMIN'
  /** A shopper: manages their own cart and orders. */
  | 'CUSTOMER';

/** One option value of a variant, e.g. name `Size`, value `M`. */
export type SelectedOptionInput = {
  /** The option's name (1 to 50 characters), e.g. `Size`. */
  name: string;
  /** The value (1 to 100 characters), e.g. `M`. */
  value: string;
};

/** Details of a new account. */
export type SignUpInput = {
  /** Email address; compared case-insensitively. */
  email: string;
  /** Display name, 1 to 100 characters. */
  name: string;
  /** At least 10 characters mixing at least two of: lower case, upper case, digits, other characters; at most 256. */
  password: string;
};

/** A change to an address of the caller's address book; omitted fields stay as they are. */
export type UpdateAddressInput = {
  /** The new address, replacing every field of the old one. */
  address?: AddressInput | null | undefined;
  /** True makes it the default billing address; false stops it being the default. */
  defaultBilling?: boolean | null | undefined;
  /** True makes it the default shipping address; false stops it being the default. */
  defaultShipping?: boolean | null | undefined;
  /** The address's id. */
  id: string | number;
};

/** Changes to a variant; omitted fields stay as they are. Stock changes through adjustStock. */
export type UpdateProductVariantInput = {
  /** New option values (the same names as the other variants'; the only variant may set any). */
  options?: Array<SelectedOptionInput> | null | undefined;
  /** New unit price in minor units; zero or more. */
  priceAmount?: number | null | undefined;
  /** New stock keeping unit, unique among variants. */
  sku?: string | null | undefined;
};

/** Why a mutation was refused (UserError.errorCode); each subgraph declares the codes it reports. */
export type UserErrorCode =
  /** The address book holds as many addresses as it may (50); remove one first. */
  | 'ADDRESS_BOOK_FULL'
  /** A field the address needs is empty (the field names it; region and postal code depend on the country). */
  | 'ADDRESS_FIELD_REQUIRED'
  /** An address field is longer than it may be. */
  | 'ADDRESS_FIELD_TOO_LONG'
  /** No address of the caller's address book has this id. */
  | 'ADDRESS_NOT_FOUND'
  /** The cart holds 100 different products already. */
  | 'CART_FULL'
  /** The parent is the category itself or one of its descendants: the tree would have a cycle. */
  | 'CATEGORY_CYCLE'
  /** No category has this slug. */
  | 'CATEGORY_NOT_FOUND'
  /** The customer has used the discount code as often as it allows. */
  | 'DISCOUNT_CODE_CUSTOMER_LIMIT'
  /** The discount code has expired. */
  | 'DISCOUNT_CODE_EXPIRED'
  /** The subtotal is below the discount code's minimum, or the cart is in another currency than the code. */
  | 'DISCOUNT_CODE_NOT_APPLICABLE'
  /** No active discount code is called this. */
  | 'DISCOUNT_CODE_NOT_FOUND'
  /** A discount code with this name exists already. */
  | 'DISCOUNT_CODE_TAKEN'
  /** Every use of the discount code is taken. */
  | 'DISCOUNT_CODE_USED_UP'
  /** The account's email address is verified already: no verification mail was sent. */
  | 'EMAIL_ALREADY_VERIFIED'
  /** An account with this email address exists already. */
  | 'EMAIL_TAKEN'
  /** The cart holds nothing to order. */
  | 'EMPTY_CART'
  /** No product image has this id. */
  | 'IMAGE_NOT_FOUND'
  /** Not enough units: more than the catalog can sell now, or fewer on hand than are reserved. */
  | 'INSUFFICIENT_STOCK'
  /** The alt text is longer than 512 characters. */
  | 'INVALID_ALT_TEXT'
  /** The email or the password is wrong (which one is not told). */
  | 'INVALID_CREDENTIALS'
  /** The currency is not a three-letter ISO-4217 code. */
  | 'INVALID_CURRENCY'
  /** The stock change is zero, not a whole number, or beyond ±1000000. */
  | 'INVALID_DELTA'
  /** The description is longer than 10000 characters. */
  | 'INVALID_DESCRIPTION'
  /** The discount code's definition is invalid (see the field). */
  | 'INVALID_DISCOUNT_CODE'
  /** The email address is not a plausible address or is longer than 254 characters. */
  | 'INVALID_EMAIL'
  /** The image ids do not list each of the product's images exactly once. */
  | 'INVALID_IMAGE_ORDER'
  /** The image position is not a whole number of 0 or more. */
  | 'INVALID_IMAGE_POSITION'
  /** The image URL is not an absolute http(s) URL of at most 2048 characters. */
  | 'INVALID_IMAGE_URL'
  /** A name is empty or longer than its input field allows (see the field). */
  | 'INVALID_NAME'
  /** The options are not 0 to 3 distinct names (1 to 50 characters) with a value each (1 to 100 characters). */
  | 'INVALID_OPTIONS'
  /** The phone number is not a plausible number. */
  | 'INVALID_PHONE'
  /** The postal code does not have the country's shape. */
  | 'INVALID_POSTAL_CODE'
  /** The price is not a whole number of minor units between 0 and 100000000. */
  | 'INVALID_PRICE'
  /** The quantity is outside what the mutation accepts, or the line would hold more than 99 units. */
  | 'INVALID_QUANTITY'
  /** The refresh token is unknown, expired, revoked or was used already; sign in again. */
  | 'INVALID_REFRESH_TOKEN'
  /** The sku is not 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
  | 'INVALID_SKU'
  /** The category slug is not 1 to 64 lowercase letters, digits and single dashes. */
  | 'INVALID_SLUG'
  /** The initial stock is not a whole number between 0 and 1000000. */
  | 'INVALID_STOCK'
  /** The mailed token is unknown (mistyped, or not for this kind of request). */
  | 'INVALID_TOKEN'
  /** The order cannot move from its status to the one asked for. */
  | 'INVALID_TRANSITION'
  /** The products involved are priced in more than one currency. */
  | 'MIXED_CURRENCIES'
  /** Nothing of the order's payment was captured: money is captured when the order ships, and only captured money can be refunded. */
  | 'NOTHING_CAPTURED'
  /** The options do not name the same options as the product's other variants. */
  | 'OPTIONS_MISMATCH'
  /** Another variant of the product has these option values already. */
  | 'OPTIONS_TAKEN'
  /** Only a DELIVERED order can be returned. */
  | 'ORDER_NOT_DELIVERED'
  /** No order has this id. */
  | 'ORDER_NOT_FOUND'
  /** The order total exceeds what an order may cost. */
  | 'ORDER_TOO_LARGE'
  /** The password is longer than 256 characters. */
  | 'PASSWORD_TOO_LONG'
  /** The order has no payment (it was never charged, or no order has this id). */
  | 'PAYMENT_NOT_FOUND'
  /** No product with this id is known (to the cart: none with this id is for sale). */
  | 'PRODUCT_NOT_FOUND'
  /** A product in the cart is no longer sold; remove it from the cart. */
  | 'PRODUCT_UNAVAILABLE'
  /** The refund would make the order's refunds exceed what was captured. */
  | 'REFUND_EXCEEDS_CAPTURED'
  /** The return request was approved or rejected already. */
  | 'RETURN_ALREADY_DECIDED'
  /** No return request has this id. */
  | 'RETURN_NOT_FOUND'
  /** More units than were bought (less those already asked back in returns not rejected). */
  | 'RETURN_QUANTITY_EXCEEDED'
  /** A shipping method was chosen but no shipping address given. */
  | 'SHIPPING_ADDRESS_REQUIRED'
  /** The order has a shipping address but no shipping method; pick one of checkoutPreview's availableShippingMethods. */
  | 'SHIPPING_METHOD_REQUIRED'
  /** A product with this sku exists already. */
  | 'SKU_TAKEN'
  /** A category with this slug exists already. */
  | 'SLUG_TAKEN'
  /** The mailed token has expired; ask for a new mail. */
  | 'TOKEN_EXPIRED'
  /** The mailed token was used already (each works once; a password reset also voids the other reset tokens). */
  | 'TOKEN_USED'
  /** Too many failed sign-ins, or too many mail requests, for this email or client address; wait a few minutes. */
  | 'TOO_MANY_ATTEMPTS'
  /** The product has 20 images already. */
  | 'TOO_MANY_IMAGES'
  /** The country is not an ISO 3166-1 alpha-2 code. */
  | 'UNKNOWN_COUNTRY'
  /** The order has no line at this position. */
  | 'UNKNOWN_ORDER_LINE'
  /** No configured shipping method has this code for the destination and the cart's currency. */
  | 'UNKNOWN_SHIPPING_METHOD'
  /** No variant with this id belongs to the product (or, by its id alone, exists). */
  | 'VARIANT_NOT_FOUND'
  /** The product has more than one variant: the variant must be named (variantId). */
  | 'VARIANT_REQUIRED'
  /** The password is shorter than 10 characters or mixes fewer than two kinds of characters. */
  | 'WEAK_PASSWORD'
  /** The current password given to changePassword is wrong. */
  | 'WRONG_PASSWORD';

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { accessToken: string | null, refreshToken: string | null, expiresIn: number | null, user: { id: string, email: string, name: string, role: Role, createdAt: string, emailVerified: boolean, emailVerifiedAt: string | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { logIn: { accessToken: string | null, refreshToken: string | null, expiresIn: number | null, user: { id: string, email: string, name: string, role: Role, createdAt: string, emailVerified: boolean, emailVerifiedAt: string | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type RefreshTokenMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshTokenMutation = { refreshToken: { accessToken: string | null, refreshToken: string | null, expiresIn: number | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type LogOutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogOutMutation = { logOut: boolean };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, name: string, role: Role, createdAt: string, emailVerified: boolean, emailVerifiedAt: string | null } | null };

export type RequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: { accepted: boolean, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ResetPasswordMutationVariables = Exact<{
  token: string;
  newPassword: string;
}>;


export type ResetPasswordMutation = { resetPassword: { user: { id: string, email: string, name: string, role: Role, createdAt: string, emailVerified: boolean, emailVerifiedAt: string | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type SendVerificationEmailMutationVariables = Exact<{ [key: string]: never; }>;


export type SendVerificationEmailMutation = { sendVerificationEmail: { accepted: boolean, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type VerifyEmailMutationVariables = Exact<{
  token: string;
}>;


export type VerifyEmailMutation = { verifyEmail: { user: { id: string, email: string, name: string, role: Role, createdAt: string, emailVerified: boolean, emailVerifiedAt: string | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ChangePasswordMutationVariables = Exact<{
  currentPassword: string;
  newPassword: string;
}>;


export type ChangePasswordMutation = { changePassword: { user: { id: string, email: string, name: string, role: Role, createdAt: string, emailVerified: boolean, emailVerifiedAt: string | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type MyAddressesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyAddressesQuery = { me: { id: string, addresses: Array<{ id: string, name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null, isDefaultShipping: boolean, isDefaultBilling: boolean }> } | null };

export type AddAddressMutationVariables = Exact<{
  input: AddAddressInput;
}>;


export type AddAddressMutation = { addAddress: { address: { id: string, name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null, isDefaultShipping: boolean, isDefaultBilling: boolean } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type UpdateAddressMutationVariables = Exact<{
  input: UpdateAddressInput;
}>;


export type UpdateAddressMutation = { updateAddress: { address: { id: string, name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null, isDefaultShipping: boolean, isDefaultBilling: boolean } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type RemoveAddressMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveAddressMutation = { removeAddress: { address: { id: string } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ShipOrderMutationVariables = Exact<{
  id: string | number;
}>;


export type ShipOrderMutation = { shipOrder: { order: { id: string, status: OrderStatus, createdAt: string, taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, total: { amount: number, currency: string }, items: Array<{ productName: string, variantSku: string, variantTitle: string, quantity: number, selectedOptions: Array<{ name: string, value: string }>, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, shippingMethod: { code: string, name: string } | null, shippingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null, billingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type DeliverOrderMutationVariables = Exact<{
  id: string | number;
}>;


export type DeliverOrderMutation = { deliverOrder: { order: { id: string, status: OrderStatus, createdAt: string, taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, total: { amount: number, currency: string }, items: Array<{ productName: string, variantSku: string, variantTitle: string, quantity: number, selectedOptions: Array<{ name: string, value: string }>, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, shippingMethod: { code: string, name: string } | null, shippingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null, billingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type DiscountCodeFieldsFragment = { id: string, code: string, kind: DiscountKind, value: number, currency: string, usageLimit: number | null, usageLimitPerCustomer: number | null, timesUsed: number, expiresAt: string | null, active: boolean, minimumSubtotal: { amount: number, currency: string } };

export type CreateDiscountCodeMutationVariables = Exact<{
  input: CreateDiscountCodeInput;
}>;


export type CreateDiscountCodeMutation = { createDiscountCode: { discountCode: { id: string, code: string, kind: DiscountKind, value: number, currency: string, usageLimit: number | null, usageLimitPerCustomer: number | null, timesUsed: number, expiresAt: string | null, active: boolean, minimumSubtotal: { amount: number, currency: string } } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type DeactivateDiscountCodeMutationVariables = Exact<{
  code: string;
}>;


export type DeactivateDiscountCodeMutation = { deactivateDiscountCode: { discountCode: { id: string, code: string, kind: DiscountKind, value: number, currency: string, usageLimit: number | null, usageLimitPerCustomer: number | null, timesUsed: number, expiresAt: string | null, active: boolean, minimumSubtotal: { amount: number, currency: string } } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type DiscountCodesQueryVariables = Exact<{ [key: string]: never; }>;


export type DiscountCodesQuery = { discountCodes: Array<{ id: string, code: string, kind: DiscountKind, value: number, currency: string, usageLimit: number | null, usageLimitPerCustomer: number | null, timesUsed: number, expiresAt: string | null, active: boolean, minimumSubtotal: { amount: number, currency: string } }> };

export type CreateProductVariantMutationVariables = Exact<{
  productId: string | number;
  input: CreateProductVariantInput;
}>;


export type CreateProductVariantMutation = { createProductVariant: { variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type UpdateProductVariantMutationVariables = Exact<{
  id: string | number;
  input: UpdateProductVariantInput;
}>;


export type UpdateProductVariantMutation = { updateProductVariant: { variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type CategoryAdminFieldsFragment = { id: string, slug: string, name: string, breadcrumbs: Array<{ slug: string, name: string }> };

export type CreateCategoryMutationVariables = Exact<{
  input: CreateCategoryInput;
}>;


export type CreateCategoryMutation = { createCategory: { category: { id: string, slug: string, name: string, breadcrumbs: Array<{ slug: string, name: string }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type SetCategoryParentMutationVariables = Exact<{
  slug: string;
  parentSlug?: string | null | undefined;
}>;


export type SetCategoryParentMutation = { setCategoryParent: { category: { id: string, slug: string, name: string, breadcrumbs: Array<{ slug: string, name: string }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ProductImagesFieldsFragment = { id: string, images: Array<{ id: string, url: string, altText: string, position: number }> };

export type AddProductImageMutationVariables = Exact<{
  productId: string | number;
  input: AddProductImageInput;
}>;


export type AddProductImageMutation = { addProductImage: { product: { id: string, images: Array<{ id: string, url: string, altText: string, position: number }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type RemoveProductImageMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveProductImageMutation = { removeProductImage: { product: { id: string, images: Array<{ id: string, url: string, altText: string, position: number }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ReorderProductImagesMutationVariables = Exact<{
  productId: string | number;
  imageIds: Array<string | number> | string | number;
}>;


export type ReorderProductImagesMutation = { reorderProductImages: { product: { id: string, images: Array<{ id: string, url: string, altText: string, position: number }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type CartQueryVariables = Exact<{
  cartToken?: string | null | undefined;
}>;


export type CartQuery = { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } }> } };

export type AddToCartMutationVariables = Exact<{
  productId: string | number;
  quantity: number;
  variantId?: string | number | null | undefined;
  cartToken?: string | null | undefined;
}>;


export type AddToCartMutation = { addToCart: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type UpdateCartItemMutationVariables = Exact<{
  productId: string | number;
  quantity: number;
  variantId?: string | number | null | undefined;
  cartToken?: string | null | undefined;
}>;


export type UpdateCartItemMutation = { updateCartItem: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type RemoveFromCartMutationVariables = Exact<{
  productId: string | number;
  variantId?: string | number | null | undefined;
  cartToken?: string | null | undefined;
}>;


export type RemoveFromCartMutation = { removeFromCart: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ClearCartMutationVariables = Exact<{
  cartToken?: string | null | undefined;
}>;


export type ClearCartMutation = { clearCart: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type CreateGuestCartMutationVariables = Exact<{ [key: string]: never; }>;


export type CreateGuestCartMutation = { createGuestCart: { cartToken: string, cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } }> } } };

export type MergeGuestCartMutationVariables = Exact<{
  cartToken: string;
}>;


export type MergeGuestCartMutation = { mergeGuestCart: { cart: { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ProductsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ProductFilter | null | undefined;
  sortKey?: ProductSortKeys | null | undefined;
  reverse?: boolean | null | undefined;
}>;


export type ProductsQuery = { products: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }> } };

export type ProductQueryVariables = Exact<{
  id: string | number;
}>;


export type ProductQuery = { product: { description: string, id: string, sku: string, name: string, inStock: boolean, stock: number, images: Array<{ id: string, url: string, altText: string, position: number }>, options: Array<{ name: string, values: Array<string> }>, variants: Array<{ id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } }>, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } | null };

export type ProductVariantQueryVariables = Exact<{
  id: string | number;
}>;


export type ProductVariantQuery = { productVariant: { id: string, sku: string, title: string, inStock: boolean, stock: number, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } | null };

export type SearchProductsQueryVariables = Exact<{
  query: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ProductFilter | null | undefined;
  sortKey?: ProductSortKeys | null | undefined;
  reverse?: boolean | null | undefined;
}>;


export type SearchProductsQuery = { searchProducts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } }>, facets: Array<{ name: string, values: Array<{ value: string, count: number }> }> } };

export type CategoriesQueryVariables = Exact<{ [key: string]: never; }>;


export type CategoriesQuery = { categories: Array<{ id: string, slug: string, name: string, children: Array<{ id: string, slug: string, name: string }> }> };

export type CategoryQueryVariables = Exact<{
  slug: string;
}>;


export type CategoryQuery = { category: { id: string, slug: string, name: string, breadcrumbs: Array<{ id: string, slug: string, name: string }>, children: Array<{ id: string, slug: string, name: string }> } | null };

export type ProductChangedSubscriptionVariables = Exact<{
  productId: string | number;
}>;


export type ProductChangedSubscription = { productChanged: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null } };

export type UserErrorFieldsFragment = { code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null };

export type MoneyFieldsFragment = { amount: number, currency: string };

export type AccountFieldsFragment = { id: string, email: string, name: string, role: Role, createdAt: string, emailVerified: boolean, emailVerifiedAt: string | null };

export type ProductSummaryFragment = { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null };

export type VariantFieldsFragment = { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } };

export type CartFieldsFragment = { id: string, totalQuantity: number, subtotal: { amount: number, currency: string }, items: Array<{ quantity: number, lineTotal: { amount: number, currency: string }, product: { id: string, sku: string, name: string, inStock: boolean, stock: number, price: { amount: number, currency: string }, category: { id: string, slug: string, name: string } | null }, variant: { id: string, sku: string, title: string, inStock: boolean, stock: number, selectedOptions: Array<{ name: string, value: string }>, price: { amount: number, currency: string } } }> };

export type OrderFieldsFragment = { id: string, status: OrderStatus, createdAt: string, taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, total: { amount: number, currency: string }, items: Array<{ productName: string, variantSku: string, variantTitle: string, quantity: number, selectedOptions: Array<{ name: string, value: string }>, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, shippingMethod: { code: string, name: string } | null, shippingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null, billingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null };

export type PostalAddressFieldsFragment = { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null };

export type OrderCheckoutFieldsFragment = { taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, shippingMethod: { code: string, name: string } | null, shippingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null, billingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null };

export type ShippingMethodFieldsFragment = { code: string, name: string, price: { amount: number, currency: string }, freeOver: { amount: number, currency: string } | null };

export type AddressFieldsFragment = { id: string, name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null, isDefaultShipping: boolean, isDefaultBilling: boolean };

export type ShippingMethodsQueryVariables = Exact<{
  country: string;
  subtotal: MoneyInput;
}>;


export type ShippingMethodsQuery = { shippingMethods: Array<{ code: string, name: string, price: { amount: number, currency: string }, freeOver: { amount: number, currency: string } | null }> };

export type CheckoutPreviewQueryVariables = Exact<{
  input?: CheckoutInput | null | undefined;
}>;


export type CheckoutPreviewQuery = { checkoutPreview: { preview: { taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string }, shippingMethod: { code: string, name: string, price: { amount: number, currency: string }, freeOver: { amount: number, currency: string } | null } | null, availableShippingMethods: Array<{ code: string, name: string, price: { amount: number, currency: string }, freeOver: { amount: number, currency: string } | null }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type PlaceOrderMutationVariables = Exact<{
  input: PlaceOrderInput;
}>;


export type PlaceOrderMutation = { placeOrder: { order: { id: string, status: OrderStatus, createdAt: string, taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, total: { amount: number, currency: string }, items: Array<{ productName: string, variantSku: string, variantTitle: string, quantity: number, selectedOptions: Array<{ name: string, value: string }>, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, shippingMethod: { code: string, name: string } | null, shippingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null, billingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type OrderQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderQuery = { order: { id: string, status: OrderStatus, createdAt: string, taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, total: { amount: number, currency: string }, items: Array<{ productName: string, variantSku: string, variantTitle: string, quantity: number, selectedOptions: Array<{ name: string, value: string }>, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, shippingMethod: { code: string, name: string } | null, shippingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null, billingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null } | null };

export type MyOrdersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyOrdersQuery = { me: { id: string, orders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, status: OrderStatus, createdAt: string, total: { amount: number, currency: string } } }> } } | null };

export type CancelOrderMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelOrderMutation = { cancelOrder: { order: { id: string, status: OrderStatus, createdAt: string, taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, total: { amount: number, currency: string }, items: Array<{ productName: string, variantSku: string, variantTitle: string, quantity: number, selectedOptions: Array<{ name: string, value: string }>, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, shippingMethod: { code: string, name: string } | null, shippingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null, billingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type OrderStatusChangedSubscriptionVariables = Exact<{
  orderId: string | number;
}>;


export type OrderStatusChangedSubscription = { orderStatusChanged: { id: string, status: OrderStatus, createdAt: string, taxRatePercent: number, pricesIncludeTax: boolean, discountCode: string | null, total: { amount: number, currency: string }, items: Array<{ productName: string, variantSku: string, variantTitle: string, quantity: number, selectedOptions: Array<{ name: string, value: string }>, unitPrice: { amount: number, currency: string }, lineTotal: { amount: number, currency: string }, product: { id: string, name: string, inStock: boolean } }>, statusHistory: Array<{ status: OrderStatus, at: string, reason: string | null }>, payment: { id: string, status: PaymentStatus, failureReason: string | null, amount: { amount: number, currency: string } } | null, subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, tax: { amount: number, currency: string }, shippingMethod: { code: string, name: string } | null, shippingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null, billingAddress: { name: string, line1: string, line2: string | null, city: string, region: string | null, postalCode: string | null, country: string, phone: string | null } | null } };

export type ReturnRequestFieldsFragment = { id: string, status: ReturnStatus, reason: string, rejectionReason: string | null, decidedAt: string | null, createdAt: string, refundAmount: { amount: number, currency: string }, lines: Array<{ quantity: number, item: { position: number, productName: string } }> };

export type OrderTimelineQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderTimelineQuery = { order: { id: string, status: OrderStatus, items: Array<{ position: number, productName: string, quantity: number }>, timeline: Array<{ at: string, kind: OrderTimelineEntryKind, actor: OrderActor, status: OrderStatus | null, note: string | null, returnRequestId: string | null, amount: { amount: number, currency: string } | null }>, returns: Array<{ id: string, status: ReturnStatus, reason: string, rejectionReason: string | null, decidedAt: string | null, createdAt: string, refundAmount: { amount: number, currency: string }, lines: Array<{ quantity: number, item: { position: number, productName: string } }> }>, payment: { id: string, status: PaymentStatus, capturedAmount: { amount: number, currency: string }, refundedAmount: { amount: number, currency: string }, refunds: Array<{ id: string, reason: string, returnRequestId: string | null, createdAt: string, amount: { amount: number, currency: string } }> } | null } | null };

export type RequestReturnMutationVariables = Exact<{
  input: RequestReturnInput;
}>;


export type RequestReturnMutation = { requestReturn: { returnRequest: { id: string, status: ReturnStatus, reason: string, rejectionReason: string | null, decidedAt: string | null, createdAt: string, refundAmount: { amount: number, currency: string }, lines: Array<{ quantity: number, item: { position: number, productName: string } }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ApproveReturnMutationVariables = Exact<{
  input: ApproveReturnInput;
}>;


export type ApproveReturnMutation = { approveReturn: { returnRequest: { id: string, status: ReturnStatus, reason: string, rejectionReason: string | null, decidedAt: string | null, createdAt: string, refundAmount: { amount: number, currency: string }, lines: Array<{ quantity: number, item: { position: number, productName: string } }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type RejectReturnMutationVariables = Exact<{
  input: RejectReturnInput;
}>;


export type RejectReturnMutation = { rejectReturn: { returnRequest: { id: string, status: ReturnStatus, reason: string, rejectionReason: string | null, decidedAt: string | null, createdAt: string, refundAmount: { amount: number, currency: string }, lines: Array<{ quantity: number, item: { position: number, productName: string } }> } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type RefundOrderMutationVariables = Exact<{
  input: RefundOrderInput;
}>;


export type RefundOrderMutation = { refundOrder: { refund: { id: string, reason: string, amount: { amount: number, currency: string } } | null, payment: { id: string, status: PaymentStatus, capturedAmount: { amount: number, currency: string }, refundedAmount: { amount: number, currency: string } } | null, userErrors: Array<{ code: string, errorCode: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ReturnRequestsQueryVariables = Exact<{
  status?: ReturnStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ReturnRequestsQuery = { returnRequests: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, status: ReturnStatus, reason: string, createdAt: string, refundAmount: { amount: number, currency: string }, order: { id: string, user: { id: string } } } }> } };

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
export const MoneyFieldsFragmentDoc = new TypedDocumentString(`
    fragment MoneyFields on Money {
  amount
  currency
}
    `, {"fragmentName":"MoneyFields"}) as unknown as TypedDocumentString<MoneyFieldsFragment, unknown>;
export const DiscountCodeFieldsFragmentDoc = new TypedDocumentString(`
    fragment DiscountCodeFields on DiscountCode {
  id
  code
  kind
  value
  currency
  minimumSubtotal {
    ...MoneyFields
  }
  usageLimit
  usageLimitPerCustomer
  timesUsed
  expiresAt
  active
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"DiscountCodeFields"}) as unknown as TypedDocumentString<DiscountCodeFieldsFragment, unknown>;
export const CategoryAdminFieldsFragmentDoc = new TypedDocumentString(`
    fragment CategoryAdminFields on Category {
  id
  slug
  name
  breadcrumbs {
    slug
    name
  }
}
    `, {"fragmentName":"CategoryAdminFields"}) as unknown as TypedDocumentString<CategoryAdminFieldsFragment, unknown>;
export const ProductImagesFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProductImagesFields on Product {
  id
  images {
    id
    url
    altText
    position
  }
}
    `, {"fragmentName":"ProductImagesFields"}) as unknown as TypedDocumentString<ProductImagesFieldsFragment, unknown>;
export const UserErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserErrorFields on UserError {
  code
  errorCode
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
  emailVerified
  emailVerifiedAt
}
    `, {"fragmentName":"AccountFields"}) as unknown as TypedDocumentString<AccountFieldsFragment, unknown>;
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
export const VariantFieldsFragmentDoc = new TypedDocumentString(`
    fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"VariantFields"}) as unknown as TypedDocumentString<VariantFieldsFragment, unknown>;
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
    variant {
      ...VariantFields
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
}
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
}`, {"fragmentName":"CartFields"}) as unknown as TypedDocumentString<CartFieldsFragment, unknown>;
export const PostalAddressFieldsFragmentDoc = new TypedDocumentString(`
    fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}
    `, {"fragmentName":"PostalAddressFields"}) as unknown as TypedDocumentString<PostalAddressFieldsFragment, unknown>;
export const OrderCheckoutFieldsFragmentDoc = new TypedDocumentString(`
    fragment OrderCheckoutFields on Order {
  subtotal {
    ...MoneyFields
  }
  discount {
    ...MoneyFields
  }
  shipping {
    ...MoneyFields
  }
  tax {
    ...MoneyFields
  }
  taxRatePercent
  pricesIncludeTax
  discountCode
  shippingMethod {
    code
    name
  }
  shippingAddress {
    ...PostalAddressFields
  }
  billingAddress {
    ...PostalAddressFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}`, {"fragmentName":"OrderCheckoutFields"}) as unknown as TypedDocumentString<OrderCheckoutFieldsFragment, unknown>;
export const OrderFieldsFragmentDoc = new TypedDocumentString(`
    fragment OrderFields on Order {
  id
  status
  createdAt
  total {
    ...MoneyFields
  }
  ...OrderCheckoutFields
  items {
    productName
    variantSku
    variantTitle
    selectedOptions {
      name
      value
    }
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
}
fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}
fragment OrderCheckoutFields on Order {
  subtotal {
    ...MoneyFields
  }
  discount {
    ...MoneyFields
  }
  shipping {
    ...MoneyFields
  }
  tax {
    ...MoneyFields
  }
  taxRatePercent
  pricesIncludeTax
  discountCode
  shippingMethod {
    code
    name
  }
  shippingAddress {
    ...PostalAddressFields
  }
  billingAddress {
    ...PostalAddressFields
  }
}`, {"fragmentName":"OrderFields"}) as unknown as TypedDocumentString<OrderFieldsFragment, unknown>;
export const ShippingMethodFieldsFragmentDoc = new TypedDocumentString(`
    fragment ShippingMethodFields on ShippingMethod {
  code
  name
  price {
    ...MoneyFields
  }
  freeOver {
    ...MoneyFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"ShippingMethodFields"}) as unknown as TypedDocumentString<ShippingMethodFieldsFragment, unknown>;
export const AddressFieldsFragmentDoc = new TypedDocumentString(`
    fragment AddressFields on Address {
  id
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
  isDefaultShipping
  isDefaultBilling
}
    `, {"fragmentName":"AddressFields"}) as unknown as TypedDocumentString<AddressFieldsFragment, unknown>;
export const ReturnRequestFieldsFragmentDoc = new TypedDocumentString(`
    fragment ReturnRequestFields on ReturnRequest {
  id
  status
  reason
  rejectionReason
  decidedAt
  createdAt
  refundAmount {
    ...MoneyFields
  }
  lines {
    quantity
    item {
      position
      productName
    }
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"ReturnRequestFields"}) as unknown as TypedDocumentString<ReturnRequestFieldsFragment, unknown>;
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
  errorCode
  message
  field
}
fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
  emailVerified
  emailVerifiedAt
}`, {"hash":"sha256:4f8e7e26b771c13eef3129a73f17114f5950a82030fc5559da1fb3d03c0e98e7"}) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
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
  errorCode
  message
  field
}
fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
  emailVerified
  emailVerifiedAt
}`, {"hash":"sha256:7ac5fc7ee3f7dee678f01b2fc82bdfc09a7c0458fadf4854ccb9214d092846d6"}) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
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
  errorCode
  message
  field
}`, {"hash":"sha256:eb43b0b1a75291795ba1a0f2adec0a2707de50a4d91ea20a8b7ab79c0264b812"}) as unknown as TypedDocumentString<RefreshTokenMutation, RefreshTokenMutationVariables>;
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
  emailVerified
  emailVerifiedAt
}`, {"hash":"sha256:608626e1b1c09130e5ce3480656841f074c7ed00650793d49ae2ab3245d0c991"}) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const RequestPasswordResetDocument = new TypedDocumentString(`
    mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email) {
    accepted
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}`, {"hash":"sha256:b5ba629f18c6551235379f2ba11c9eb829eff09832afdad738291706d078d020"}) as unknown as TypedDocumentString<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($token: String!, $newPassword: String!) {
  resetPassword(token: $token, newPassword: $newPassword) {
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
  errorCode
  message
  field
}
fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
  emailVerified
  emailVerifiedAt
}`, {"hash":"sha256:0b25500c2f3089f6e92eeb25185fc18353c3fcd94bc4b79188ed51387d7e419a"}) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const SendVerificationEmailDocument = new TypedDocumentString(`
    mutation SendVerificationEmail {
  sendVerificationEmail {
    accepted
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}`, {"hash":"sha256:6d07cd86c775eaaef2a4171b15d306286c8775cc8858f005d19facadf639fe66"}) as unknown as TypedDocumentString<SendVerificationEmailMutation, SendVerificationEmailMutationVariables>;
export const VerifyEmailDocument = new TypedDocumentString(`
    mutation VerifyEmail($token: String!) {
  verifyEmail(token: $token) {
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
  errorCode
  message
  field
}
fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
  emailVerified
  emailVerifiedAt
}`, {"hash":"sha256:a793f4df5961c8648b3a5465613131b9f1669cf9f8eefbdf3f2fa3889ce98e18"}) as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
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
  errorCode
  message
  field
}
fragment AccountFields on User {
  id
  email
  name
  role
  createdAt
  emailVerified
  emailVerifiedAt
}`, {"hash":"sha256:12ab5fa6d2a8883983a85cd4501221ddad5148d115744dc6443c8f883ae3ec34"}) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const MyAddressesDocument = new TypedDocumentString(`
    query MyAddresses {
  me {
    id
    addresses {
      ...AddressFields
    }
  }
}
    fragment AddressFields on Address {
  id
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
  isDefaultShipping
  isDefaultBilling
}`, {"hash":"sha256:dde95ab89e240821b9f492af6d8710eef28873111023cb9cad849a5d0b8cc503"}) as unknown as TypedDocumentString<MyAddressesQuery, MyAddressesQueryVariables>;
export const AddAddressDocument = new TypedDocumentString(`
    mutation AddAddress($input: AddAddressInput!) {
  addAddress(input: $input) {
    address {
      ...AddressFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment AddressFields on Address {
  id
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
  isDefaultShipping
  isDefaultBilling
}`, {"hash":"sha256:62806720be12aa26645193cf06d274627c67f766aa83b862621ba7257fed5636"}) as unknown as TypedDocumentString<AddAddressMutation, AddAddressMutationVariables>;
export const UpdateAddressDocument = new TypedDocumentString(`
    mutation UpdateAddress($input: UpdateAddressInput!) {
  updateAddress(input: $input) {
    address {
      ...AddressFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment AddressFields on Address {
  id
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
  isDefaultShipping
  isDefaultBilling
}`, {"hash":"sha256:5788e4fd20f200ed66cdc1a378b6d02444c894958ee69f236c37748853a248bf"}) as unknown as TypedDocumentString<UpdateAddressMutation, UpdateAddressMutationVariables>;
export const RemoveAddressDocument = new TypedDocumentString(`
    mutation RemoveAddress($id: ID!) {
  removeAddress(id: $id) {
    address {
      id
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}`, {"hash":"sha256:2e14d064c6c6f200dad50957754c0bb2ecdd936bf45715b12290573c6cee2bbd"}) as unknown as TypedDocumentString<RemoveAddressMutation, RemoveAddressMutationVariables>;
export const ShipOrderDocument = new TypedDocumentString(`
    mutation ShipOrder($id: ID!) {
  shipOrder(id: $id) {
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
  errorCode
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
  ...OrderCheckoutFields
  items {
    productName
    variantSku
    variantTitle
    selectedOptions {
      name
      value
    }
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
fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}
fragment OrderCheckoutFields on Order {
  subtotal {
    ...MoneyFields
  }
  discount {
    ...MoneyFields
  }
  shipping {
    ...MoneyFields
  }
  tax {
    ...MoneyFields
  }
  taxRatePercent
  pricesIncludeTax
  discountCode
  shippingMethod {
    code
    name
  }
  shippingAddress {
    ...PostalAddressFields
  }
  billingAddress {
    ...PostalAddressFields
  }
}`, {"hash":"sha256:0a94407769620c762a4efe367480bb231baa086522fbf1afbd8d041409f3c4d0"}) as unknown as TypedDocumentString<ShipOrderMutation, ShipOrderMutationVariables>;
export const DeliverOrderDocument = new TypedDocumentString(`
    mutation DeliverOrder($id: ID!) {
  deliverOrder(id: $id) {
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
  errorCode
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
  ...OrderCheckoutFields
  items {
    productName
    variantSku
    variantTitle
    selectedOptions {
      name
      value
    }
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
fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}
fragment OrderCheckoutFields on Order {
  subtotal {
    ...MoneyFields
  }
  discount {
    ...MoneyFields
  }
  shipping {
    ...MoneyFields
  }
  tax {
    ...MoneyFields
  }
  taxRatePercent
  pricesIncludeTax
  discountCode
  shippingMethod {
    code
    name
  }
  shippingAddress {
    ...PostalAddressFields
  }
  billingAddress {
    ...PostalAddressFields
  }
}`, {"hash":"sha256:14e483af688f44cb77a9e8816e7955557d964a8ff3e52e3de952224c0dc446f0"}) as unknown as TypedDocumentString<DeliverOrderMutation, DeliverOrderMutationVariables>;
export const CreateDiscountCodeDocument = new TypedDocumentString(`
    mutation CreateDiscountCode($input: CreateDiscountCodeInput!) {
  createDiscountCode(input: $input) {
    discountCode {
      ...DiscountCodeFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment DiscountCodeFields on DiscountCode {
  id
  code
  kind
  value
  currency
  minimumSubtotal {
    ...MoneyFields
  }
  usageLimit
  usageLimitPerCustomer
  timesUsed
  expiresAt
  active
}
fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:7a63b822f137bcf855c4cc8e878e0daf0521480120718b309573791f86d92914"}) as unknown as TypedDocumentString<CreateDiscountCodeMutation, CreateDiscountCodeMutationVariables>;
export const DeactivateDiscountCodeDocument = new TypedDocumentString(`
    mutation DeactivateDiscountCode($code: String!) {
  deactivateDiscountCode(code: $code) {
    discountCode {
      ...DiscountCodeFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment DiscountCodeFields on DiscountCode {
  id
  code
  kind
  value
  currency
  minimumSubtotal {
    ...MoneyFields
  }
  usageLimit
  usageLimitPerCustomer
  timesUsed
  expiresAt
  active
}
fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:b4f5617e7ca3a541e3c774730660f58780304f09cb7a8afad04e94d30569674e"}) as unknown as TypedDocumentString<DeactivateDiscountCodeMutation, DeactivateDiscountCodeMutationVariables>;
export const DiscountCodesDocument = new TypedDocumentString(`
    query DiscountCodes {
  discountCodes {
    ...DiscountCodeFields
  }
}
    fragment DiscountCodeFields on DiscountCode {
  id
  code
  kind
  value
  currency
  minimumSubtotal {
    ...MoneyFields
  }
  usageLimit
  usageLimitPerCustomer
  timesUsed
  expiresAt
  active
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:0bc137adbc303c7398f5d1135afc8e68192136d8924400ce1036593c470fcd77"}) as unknown as TypedDocumentString<DiscountCodesQuery, DiscountCodesQueryVariables>;
export const CreateProductVariantDocument = new TypedDocumentString(`
    mutation CreateProductVariant($productId: ID!, $input: CreateProductVariantInput!) {
  createProductVariant(productId: $productId, input: $input) {
    variant {
      ...VariantFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
}`, {"hash":"sha256:d6c16e50c0553975b5ee89832c85e649bf0390e012b13819d6d89e83406f9123"}) as unknown as TypedDocumentString<CreateProductVariantMutation, CreateProductVariantMutationVariables>;
export const UpdateProductVariantDocument = new TypedDocumentString(`
    mutation UpdateProductVariant($id: ID!, $input: UpdateProductVariantInput!) {
  updateProductVariant(id: $id, input: $input) {
    variant {
      ...VariantFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
}`, {"hash":"sha256:687dd541301aa9ea8ef698ba848e28e56eec29fd713627119548babe6d3dba4b"}) as unknown as TypedDocumentString<UpdateProductVariantMutation, UpdateProductVariantMutationVariables>;
export const CreateCategoryDocument = new TypedDocumentString(`
    mutation CreateCategory($input: CreateCategoryInput!) {
  createCategory(input: $input) {
    category {
      ...CategoryAdminFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment CategoryAdminFields on Category {
  id
  slug
  name
  breadcrumbs {
    slug
    name
  }
}
fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}`, {"hash":"sha256:733e88502c5fece04e6b2657834d6061fdf1fc908c74a809f1d30ebcf791f8d6"}) as unknown as TypedDocumentString<CreateCategoryMutation, CreateCategoryMutationVariables>;
export const SetCategoryParentDocument = new TypedDocumentString(`
    mutation SetCategoryParent($slug: String!, $parentSlug: String) {
  setCategoryParent(slug: $slug, parentSlug: $parentSlug) {
    category {
      ...CategoryAdminFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment CategoryAdminFields on Category {
  id
  slug
  name
  breadcrumbs {
    slug
    name
  }
}
fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}`, {"hash":"sha256:8cc46db075a58a949fc73fc434cc61a5f8dc44ee16b2dcf9764909009698053e"}) as unknown as TypedDocumentString<SetCategoryParentMutation, SetCategoryParentMutationVariables>;
export const AddProductImageDocument = new TypedDocumentString(`
    mutation AddProductImage($productId: ID!, $input: AddProductImageInput!) {
  addProductImage(productId: $productId, input: $input) {
    product {
      ...ProductImagesFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment ProductImagesFields on Product {
  id
  images {
    id
    url
    altText
    position
  }
}
fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}`, {"hash":"sha256:d07700dcc1a9f474f4b850a01b189eb48ff1fc597b7f1860df1720cea342953c"}) as unknown as TypedDocumentString<AddProductImageMutation, AddProductImageMutationVariables>;
export const RemoveProductImageDocument = new TypedDocumentString(`
    mutation RemoveProductImage($id: ID!) {
  removeProductImage(id: $id) {
    product {
      ...ProductImagesFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment ProductImagesFields on Product {
  id
  images {
    id
    url
    altText
    position
  }
}
fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}`, {"hash":"sha256:49574a8bf2d3baa9e75f315e6ca56567807add99bff3df3f940722c473148b3a"}) as unknown as TypedDocumentString<RemoveProductImageMutation, RemoveProductImageMutationVariables>;
export const ReorderProductImagesDocument = new TypedDocumentString(`
    mutation ReorderProductImages($productId: ID!, $imageIds: [ID!]!) {
  reorderProductImages(productId: $productId, imageIds: $imageIds) {
    product {
      ...ProductImagesFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment ProductImagesFields on Product {
  id
  images {
    id
    url
    altText
    position
  }
}
fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}`, {"hash":"sha256:36de334742a0d94b91322b90b152040adaefa02e8f372addb650ee0699d05f3b"}) as unknown as TypedDocumentString<ReorderProductImagesMutation, ReorderProductImagesMutationVariables>;
export const CartDocument = new TypedDocumentString(`
    query Cart($cartToken: String) {
  cart(cartToken: $cartToken) {
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
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
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
    variant {
      ...VariantFields
    }
  }
}`, {"hash":"sha256:dc2109af5886a7f6bb8db4055616cd6a7b913c6b6f369a0d9ac0b614e806d9f6"}) as unknown as TypedDocumentString<CartQuery, CartQueryVariables>;
export const AddToCartDocument = new TypedDocumentString(`
    mutation AddToCart($productId: ID!, $quantity: Int!, $variantId: ID, $cartToken: String) {
  addToCart(
    productId: $productId
    quantity: $quantity
    variantId: $variantId
    cartToken: $cartToken
  ) {
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
  errorCode
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
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
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
    variant {
      ...VariantFields
    }
  }
}`, {"hash":"sha256:85738764e0ab1abd46ad6f1d91e817dd3e760c782c634f44718328c7307ea1f8"}) as unknown as TypedDocumentString<AddToCartMutation, AddToCartMutationVariables>;
export const UpdateCartItemDocument = new TypedDocumentString(`
    mutation UpdateCartItem($productId: ID!, $quantity: Int!, $variantId: ID, $cartToken: String) {
  updateCartItem(
    productId: $productId
    quantity: $quantity
    variantId: $variantId
    cartToken: $cartToken
  ) {
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
  errorCode
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
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
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
    variant {
      ...VariantFields
    }
  }
}`, {"hash":"sha256:6872005e6b102bab58414c8686214d4e568bb153efb794bb81dd65e2fbc6c1ce"}) as unknown as TypedDocumentString<UpdateCartItemMutation, UpdateCartItemMutationVariables>;
export const RemoveFromCartDocument = new TypedDocumentString(`
    mutation RemoveFromCart($productId: ID!, $variantId: ID, $cartToken: String) {
  removeFromCart(
    productId: $productId
    variantId: $variantId
    cartToken: $cartToken
  ) {
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
  errorCode
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
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
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
    variant {
      ...VariantFields
    }
  }
}`, {"hash":"sha256:5b7f91d880891e75b2fb1ff526accfb002c52e5a82d601f4e0c72606ddcf9759"}) as unknown as TypedDocumentString<RemoveFromCartMutation, RemoveFromCartMutationVariables>;
export const ClearCartDocument = new TypedDocumentString(`
    mutation ClearCart($cartToken: String) {
  clearCart(cartToken: $cartToken) {
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
  errorCode
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
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
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
    variant {
      ...VariantFields
    }
  }
}`, {"hash":"sha256:7b46f1737212b2d14b0e078118c16b6ea0757d8254acd2e072d322aa137aec3a"}) as unknown as TypedDocumentString<ClearCartMutation, ClearCartMutationVariables>;
export const CreateGuestCartDocument = new TypedDocumentString(`
    mutation CreateGuestCart {
  createGuestCart {
    cartToken
    cart {
      ...CartFields
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
}
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
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
    variant {
      ...VariantFields
    }
  }
}`, {"hash":"sha256:6a3cdaa1c7cbea72c1b2559f5baab454bbd83f67346fc6f1b0903636173f2c84"}) as unknown as TypedDocumentString<CreateGuestCartMutation, CreateGuestCartMutationVariables>;
export const MergeGuestCartDocument = new TypedDocumentString(`
    mutation MergeGuestCart($cartToken: String!) {
  mergeGuestCart(cartToken: $cartToken) {
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
  errorCode
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
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
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
    variant {
      ...VariantFields
    }
  }
}`, {"hash":"sha256:32752446026dc4200ef2e3cbaa1d7a6d0ba3e27a58da5899d9609292138250cf"}) as unknown as TypedDocumentString<MergeGuestCartMutation, MergeGuestCartMutationVariables>;
export const ProductsDocument = new TypedDocumentString(`
    query Products($first: Int = 20, $after: String, $filter: ProductFilter, $sortKey: ProductSortKeys = CREATED_AT, $reverse: Boolean = false) {
  products(
    first: $first
    after: $after
    filter: $filter
    sortKey: $sortKey
    reverse: $reverse
  ) {
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
}`, {"hash":"sha256:8989cf0f2222fe02673211ad539bb58a68f11b84f3616e9d10836a6ea0802f6a"}) as unknown as TypedDocumentString<ProductsQuery, ProductsQueryVariables>;
export const ProductDocument = new TypedDocumentString(`
    query Product($id: ID!) {
  product(id: $id) {
    ...ProductSummary
    description
    images {
      id
      url
      altText
      position
    }
    options {
      name
      values
    }
    variants {
      ...VariantFields
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
}
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
}`, {"hash":"sha256:b78c357fbd4e3dae17356b512ffd0f2c9cbcb362387e76b2c6b9ea76d2c53a54"}) as unknown as TypedDocumentString<ProductQuery, ProductQueryVariables>;
export const ProductVariantDocument = new TypedDocumentString(`
    query ProductVariant($id: ID!) {
  productVariant(id: $id) {
    ...VariantFields
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
}
fragment VariantFields on ProductVariant {
  id
  sku
  title
  selectedOptions {
    name
    value
  }
  price {
    ...MoneyFields
  }
  inStock
  stock
}`, {"hash":"sha256:fc836361ea8922cc110705889c3c78075388c3e8b2ade1ba49e8e3f092b34f86"}) as unknown as TypedDocumentString<ProductVariantQuery, ProductVariantQueryVariables>;
export const SearchProductsDocument = new TypedDocumentString(`
    query SearchProducts($query: String!, $first: Int = 20, $after: String, $filter: ProductFilter, $sortKey: ProductSortKeys = RELEVANCE, $reverse: Boolean = false) {
  searchProducts(
    query: $query
    first: $first
    after: $after
    filter: $filter
    sortKey: $sortKey
    reverse: $reverse
  ) {
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
}`, {"hash":"sha256:4cc419b4ffd987466f5400ffb61c8226645d6acfea131e4f5c966390c3b3964d"}) as unknown as TypedDocumentString<SearchProductsQuery, SearchProductsQueryVariables>;
export const CategoriesDocument = new TypedDocumentString(`
    query Categories {
  categories(rootsOnly: true) {
    id
    slug
    name
    children {
      id
      slug
      name
    }
  }
}
    `, {"hash":"sha256:ff381a6f3131b2d1e5044cf471242e2fe19cb380d8ceddfc53e536553a7dbd0d"}) as unknown as TypedDocumentString<CategoriesQuery, CategoriesQueryVariables>;
export const CategoryDocument = new TypedDocumentString(`
    query Category($slug: String!) {
  category(slug: $slug) {
    id
    slug
    name
    breadcrumbs {
      id
      slug
      name
    }
    children {
      id
      slug
      name
    }
  }
}
    `, {"hash":"sha256:e6fcef9e6efe5663388ffd80411ce4c14785977dd16372ea7bd1eed78448e809"}) as unknown as TypedDocumentString<CategoryQuery, CategoryQueryVariables>;
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
export const ShippingMethodsDocument = new TypedDocumentString(`
    query ShippingMethods($country: String!, $subtotal: MoneyInput!) {
  shippingMethods(country: $country, subtotal: $subtotal) {
    ...ShippingMethodFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment ShippingMethodFields on ShippingMethod {
  code
  name
  price {
    ...MoneyFields
  }
  freeOver {
    ...MoneyFields
  }
}`, {"hash":"sha256:8aa2a7066ff8bf2767c46e1d63c29b30e47877dbb379e800b4d86eb09bc45638"}) as unknown as TypedDocumentString<ShippingMethodsQuery, ShippingMethodsQueryVariables>;
export const CheckoutPreviewDocument = new TypedDocumentString(`
    query CheckoutPreview($input: CheckoutInput) {
  checkoutPreview(input: $input) {
    preview {
      subtotal {
        ...MoneyFields
      }
      discount {
        ...MoneyFields
      }
      shipping {
        ...MoneyFields
      }
      tax {
        ...MoneyFields
      }
      total {
        ...MoneyFields
      }
      taxRatePercent
      pricesIncludeTax
      discountCode
      shippingMethod {
        ...ShippingMethodFields
      }
      availableShippingMethods {
        ...ShippingMethodFields
      }
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment ShippingMethodFields on ShippingMethod {
  code
  name
  price {
    ...MoneyFields
  }
  freeOver {
    ...MoneyFields
  }
}`, {"hash":"sha256:bf088a88504a55abb2f7e69698b3a3df400df754c247359fe13d8f2ab557744b"}) as unknown as TypedDocumentString<CheckoutPreviewQuery, CheckoutPreviewQueryVariables>;
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
  errorCode
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
  ...OrderCheckoutFields
  items {
    productName
    variantSku
    variantTitle
    selectedOptions {
      name
      value
    }
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
fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}
fragment OrderCheckoutFields on Order {
  subtotal {
    ...MoneyFields
  }
  discount {
    ...MoneyFields
  }
  shipping {
    ...MoneyFields
  }
  tax {
    ...MoneyFields
  }
  taxRatePercent
  pricesIncludeTax
  discountCode
  shippingMethod {
    code
    name
  }
  shippingAddress {
    ...PostalAddressFields
  }
  billingAddress {
    ...PostalAddressFields
  }
}`, {"hash":"sha256:7a7ef4885c7b52ee634ef09221150fbd0cf322802baa776b70df1f814e8b5ed0"}) as unknown as TypedDocumentString<PlaceOrderMutation, PlaceOrderMutationVariables>;
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
  ...OrderCheckoutFields
  items {
    productName
    variantSku
    variantTitle
    selectedOptions {
      name
      value
    }
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
fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}
fragment OrderCheckoutFields on Order {
  subtotal {
    ...MoneyFields
  }
  discount {
    ...MoneyFields
  }
  shipping {
    ...MoneyFields
  }
  tax {
    ...MoneyFields
  }
  taxRatePercent
  pricesIncludeTax
  discountCode
  shippingMethod {
    code
    name
  }
  shippingAddress {
    ...PostalAddressFields
  }
  billingAddress {
    ...PostalAddressFields
  }
}`, {"hash":"sha256:1152796b1230df33673aa2b6f11d6b77144c207011dac9b7b339138d2b953712"}) as unknown as TypedDocumentString<OrderQuery, OrderQueryVariables>;
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
  errorCode
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
  ...OrderCheckoutFields
  items {
    productName
    variantSku
    variantTitle
    selectedOptions {
      name
      value
    }
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
fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}
fragment OrderCheckoutFields on Order {
  subtotal {
    ...MoneyFields
  }
  discount {
    ...MoneyFields
  }
  shipping {
    ...MoneyFields
  }
  tax {
    ...MoneyFields
  }
  taxRatePercent
  pricesIncludeTax
  discountCode
  shippingMethod {
    code
    name
  }
  shippingAddress {
    ...PostalAddressFields
  }
  billingAddress {
    ...PostalAddressFields
  }
}`, {"hash":"sha256:0e7f546457e6fda61ffdc715c5343705868871de125a58d4c9fd1f824996bc33"}) as unknown as TypedDocumentString<CancelOrderMutation, CancelOrderMutationVariables>;
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
  ...OrderCheckoutFields
  items {
    productName
    variantSku
    variantTitle
    selectedOptions {
      name
      value
    }
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
fragment PostalAddressFields on OrderAddress {
  name
  line1
  line2
  city
  region
  postalCode
  country
  phone
}
fragment OrderCheckoutFields on Order {
  subtotal {
    ...MoneyFields
  }
  discount {
    ...MoneyFields
  }
  shipping {
    ...MoneyFields
  }
  tax {
    ...MoneyFields
  }
  taxRatePercent
  pricesIncludeTax
  discountCode
  shippingMethod {
    code
    name
  }
  shippingAddress {
    ...PostalAddressFields
  }
  billingAddress {
    ...PostalAddressFields
  }
}`, {"hash":"sha256:de4030fc831cd7fc85be62006dc755fa71337f74fbb47d50db074bc53dc27617"}) as unknown as TypedDocumentString<OrderStatusChangedSubscription, OrderStatusChangedSubscriptionVariables>;
export const OrderTimelineDocument = new TypedDocumentString(`
    query OrderTimeline($id: ID!) {
  order(id: $id) {
    id
    status
    items {
      position
      productName
      quantity
    }
    timeline {
      at
      kind
      actor
      status
      note
      returnRequestId
      amount {
        ...MoneyFields
      }
    }
    returns {
      ...ReturnRequestFields
    }
    payment {
      id
      status
      capturedAmount {
        ...MoneyFields
      }
      refundedAmount {
        ...MoneyFields
      }
      refunds {
        id
        reason
        returnRequestId
        createdAt
        amount {
          ...MoneyFields
        }
      }
    }
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment ReturnRequestFields on ReturnRequest {
  id
  status
  reason
  rejectionReason
  decidedAt
  createdAt
  refundAmount {
    ...MoneyFields
  }
  lines {
    quantity
    item {
      position
      productName
    }
  }
}`, {"hash":"sha256:a006247037896f43f5bf46b7896a918beb614f30255b5f5be75642129c63e798"}) as unknown as TypedDocumentString<OrderTimelineQuery, OrderTimelineQueryVariables>;
export const RequestReturnDocument = new TypedDocumentString(`
    mutation RequestReturn($input: RequestReturnInput!) {
  requestReturn(input: $input) {
    returnRequest {
      ...ReturnRequestFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment ReturnRequestFields on ReturnRequest {
  id
  status
  reason
  rejectionReason
  decidedAt
  createdAt
  refundAmount {
    ...MoneyFields
  }
  lines {
    quantity
    item {
      position
      productName
    }
  }
}`, {"hash":"sha256:3fba100aba740ba7332c8b6f723e234145f46a053b20464164728e121a03cf71"}) as unknown as TypedDocumentString<RequestReturnMutation, RequestReturnMutationVariables>;
export const ApproveReturnDocument = new TypedDocumentString(`
    mutation ApproveReturn($input: ApproveReturnInput!) {
  approveReturn(input: $input) {
    returnRequest {
      ...ReturnRequestFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment ReturnRequestFields on ReturnRequest {
  id
  status
  reason
  rejectionReason
  decidedAt
  createdAt
  refundAmount {
    ...MoneyFields
  }
  lines {
    quantity
    item {
      position
      productName
    }
  }
}`, {"hash":"sha256:7eda13d0798b5a6e97bf3235df639f410a074ccea129b671d82872d4e444e5cd"}) as unknown as TypedDocumentString<ApproveReturnMutation, ApproveReturnMutationVariables>;
export const RejectReturnDocument = new TypedDocumentString(`
    mutation RejectReturn($input: RejectReturnInput!) {
  rejectReturn(input: $input) {
    returnRequest {
      ...ReturnRequestFields
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment ReturnRequestFields on ReturnRequest {
  id
  status
  reason
  rejectionReason
  decidedAt
  createdAt
  refundAmount {
    ...MoneyFields
  }
  lines {
    quantity
    item {
      position
      productName
    }
  }
}`, {"hash":"sha256:bc3f51ee845c22a24ce629698b05c9cb6d0e3bb41573868b1de945cf422a1d5e"}) as unknown as TypedDocumentString<RejectReturnMutation, RejectReturnMutationVariables>;
export const RefundOrderDocument = new TypedDocumentString(`
    mutation RefundOrder($input: RefundOrderInput!) {
  refundOrder(input: $input) {
    refund {
      id
      reason
      amount {
        ...MoneyFields
      }
    }
    payment {
      id
      status
      capturedAmount {
        ...MoneyFields
      }
      refundedAmount {
        ...MoneyFields
      }
    }
    userErrors {
      ...UserErrorFields
    }
  }
}
    fragment UserErrorFields on UserError {
  code
  errorCode
  message
  field
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:5cc07c27c73ae436aeba90d5876fa1d0c636be57563c519bc00458fb8696bc95"}) as unknown as TypedDocumentString<RefundOrderMutation, RefundOrderMutationVariables>;
export const ReturnRequestsDocument = new TypedDocumentString(`
    query ReturnRequests($status: ReturnStatus, $first: Int = 20, $after: String) {
  returnRequests(status: $status, first: $first, after: $after) {
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
        reason
        createdAt
        refundAmount {
          ...MoneyFields
        }
        order {
          id
          user {
            id
          }
        }
      }
    }
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:7cc789f60d4290bb5cbcdb96882e6305fdcbd071ca547156a8416ad09b5e36b6"}) as unknown as TypedDocumentString<ReturnRequestsQuery, ReturnRequestsQueryVariables>;
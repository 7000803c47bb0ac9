-- Checkout (issue 14): the account's address book (users), and orders' addresses, totals and
-- discount codes (orders). Existing orders keep their total as their subtotal, with no
-- discount, shipping or tax.

-- CreateTable
CREATE TABLE "user_addresses" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "line1" TEXT NOT NULL,
    "line2" TEXT,
    "city" TEXT NOT NULL,
    "region" TEXT,
    "postal_code" TEXT,
    "country" CHAR(2) NOT NULL,
    "phone" TEXT,
    "is_default_shipping" BOOLEAN NOT NULL DEFAULT false,
    "is_default_billing" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_addresses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "user_addresses_user_id_created_at_idx" ON "user_addresses"("user_id", "created_at");

-- AddForeignKey
ALTER TABLE "user_addresses" ADD CONSTRAINT "user_addresses_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: the lines of every order's total; existing orders were the sum of their lines.
ALTER TABLE "orders" ADD COLUMN "subtotal_amount" INTEGER,
ADD COLUMN "discount_amount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "shipping_amount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "tax_amount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "tax_rate_bps" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "prices_include_tax" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "shipping_method_code" TEXT,
ADD COLUMN "shipping_method_name" TEXT,
ADD COLUMN "discount_code" TEXT;
UPDATE "orders" SET "subtotal_amount" = "total_amount";
ALTER TABLE "orders" ALTER COLUMN "subtotal_amount" SET NOT NULL;

-- CreateEnum
CREATE TYPE "order_address_kind" AS ENUM ('SHIPPING', 'BILLING');

-- CreateTable
CREATE TABLE "order_addresses" (
    "order_id" UUID NOT NULL,
    "kind" "order_address_kind" NOT NULL,
    "name" TEXT NOT NULL,
    "line1" TEXT NOT NULL,
    "line2" TEXT,
    "city" TEXT NOT NULL,
    "region" TEXT,
    "postal_code" TEXT,
    "country" CHAR(2) NOT NULL,
    "phone" TEXT,

    CONSTRAINT "order_addresses_pkey" PRIMARY KEY ("order_id","kind")
);

-- AddForeignKey
ALTER TABLE "order_addresses" ADD CONSTRAINT "order_addresses_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateEnum
CREATE TYPE "discount_kind" AS ENUM ('PERCENTAGE', 'FIXED_AMOUNT');

-- CreateTable
CREATE TABLE "discount_codes" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "discount_kind" NOT NULL,
    "value" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "minimum_subtotal" INTEGER NOT NULL DEFAULT 0,
    "usage_limit" INTEGER,
    "usage_limit_per_customer" INTEGER,
    "expires_at" TIMESTAMPTZ(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "times_used" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "discount_codes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "discount_codes_code_key" ON "discount_codes"("code");

-- CreateTable
CREATE TABLE "discount_redemptions" (
    "order_id" UUID NOT NULL,
    "discount_code_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "discount_redemptions_pkey" PRIMARY KEY ("order_id")
);

-- CreateIndex
CREATE INDEX "discount_redemptions_discount_code_id_user_id_idx" ON "discount_redemptions"("discount_code_id", "user_id");

-- AddForeignKey
ALTER TABLE "discount_redemptions" ADD CONSTRAINT "discount_redemptions_discount_code_id_fkey" FOREIGN KEY ("discount_code_id") REFERENCES "discount_codes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

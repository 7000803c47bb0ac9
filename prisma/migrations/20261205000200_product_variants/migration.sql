-- Product variants. Every existing product becomes a single-variant product: its one variant
-- takes the product's own id, SKU, price and stock (on hand and reserved), so every stored
-- reference to the product (cart lines in Redis or cart_items, open stock reservations, order
-- lines, OrderPlaced events still in flight) is also a valid variant id. Nothing is deleted
-- before it has been copied, and the whole script runs in one transaction.

-- CreateTable
CREATE TABLE "product_variants" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "selected_options" JSONB NOT NULL DEFAULT '[]',
    "option_key" TEXT NOT NULL DEFAULT '',
    "price_amount" INTEGER NOT NULL,
    "on_hand" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "product_variants_pkey" PRIMARY KEY ("id")
);

-- Backfill: one variant per product, same id, SKU, price and stock.
INSERT INTO "product_variants" ("id", "product_id", "sku", "price_amount", "on_hand", "reserved", "created_at", "updated_at")
SELECT "id", "id", "sku", "price_amount", "on_hand", "reserved", "created_at", "updated_at"
FROM "products";

-- CreateIndex
CREATE UNIQUE INDEX "product_variants_sku_key" ON "product_variants"("sku");

-- CreateIndex
CREATE UNIQUE INDEX "product_variants_product_id_option_key_key" ON "product_variants"("product_id", "option_key");

-- AddForeignKey
ALTER TABLE "product_variants" ADD CONSTRAINT "product_variants_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Stock now lives on the variants (copied above); products.price_amount stays as the lowest
-- variant price, which for a single-variant product is its price.
ALTER TABLE "products" DROP COLUMN "on_hand",
DROP COLUMN "reserved";

-- Reservations are per variant: each existing one is of the product's single variant.
ALTER TABLE "stock_reservations" ADD COLUMN "variant_id" UUID;
UPDATE "stock_reservations" SET "variant_id" = "product_id";
ALTER TABLE "stock_reservations" ALTER COLUMN "variant_id" SET NOT NULL;

-- DropIndex
DROP INDEX "stock_reservations_order_id_product_id_key";

-- CreateIndex
CREATE UNIQUE INDEX "stock_reservations_order_id_variant_id_key" ON "stock_reservations"("order_id", "variant_id");

-- CreateIndex
CREATE INDEX "stock_reservations_variant_id_idx" ON "stock_reservations"("variant_id");

-- AddForeignKey
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_variant_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "product_variants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Cart lines are per variant; a stored product id is its single variant's id.
ALTER TABLE "cart_items" RENAME COLUMN "product_id" TO "variant_id";

-- Order lines record their variant. Lines placed before variants were of the product's single
-- variant: its id is the product's, its SKU the product's (read once here, as the order's
-- snapshot of it), no options.
ALTER TABLE "order_items" ADD COLUMN "variant_id" TEXT,
ADD COLUMN "variant_sku" TEXT,
ADD COLUMN "variant_title" TEXT,
ADD COLUMN "selected_options" JSONB NOT NULL DEFAULT '[]';
UPDATE "order_items" AS "item"
SET "variant_id" = "item"."product_id",
    "variant_sku" = COALESCE((SELECT "p"."sku" FROM "products" AS "p" WHERE "p"."id"::text = "item"."product_id"), ''),
    "variant_title" = 'Default';
ALTER TABLE "order_items" ALTER COLUMN "variant_id" SET NOT NULL,
ALTER COLUMN "variant_sku" SET NOT NULL,
ALTER COLUMN "variant_title" SET NOT NULL;

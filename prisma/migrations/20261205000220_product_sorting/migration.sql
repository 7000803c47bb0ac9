-- Listings sorted by price or name read a page by keyset (column, id) like the default listing
-- by (created_at, id): each order has its index. Only indexes are added; no row changes.

-- CreateIndex
CREATE INDEX "products_price_amount_id_idx" ON "products"("price_amount", "id");

-- CreateIndex
CREATE INDEX "products_name_id_idx" ON "products"("name", "id");

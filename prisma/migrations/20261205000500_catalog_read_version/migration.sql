-- The catalog's read version: a number that grows in the same transaction as any write to a table
-- the catalog's public reads are made of, so a cached answer read under one version is known to
-- be current exactly while the version stays the same (the gateway's response cache).
--
-- One row per shard: a write bumps the shard its transaction id falls on, so concurrent writers
-- do not queue on one row lock; the version is the sum of all shards (each commit adds to it, so
-- a later snapshot never sees a smaller sum).

-- CreateTable
CREATE TABLE "catalog_read_versions" (
    "shard" SMALLINT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "catalog_read_versions_pkey" PRIMARY KEY ("shard")
);

INSERT INTO "catalog_read_versions" ("shard") SELECT generate_series(0, 15);

CREATE FUNCTION "bump_catalog_read_version"() RETURNS TRIGGER AS $$
BEGIN
    UPDATE "catalog_read_versions" SET "version" = "version" + 1
    WHERE "shard" = txid_current() % 16;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Statement-level: one bump per statement, whatever the number of rows (also none).
CREATE TRIGGER "categories_bump_catalog_read_version"
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "categories"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_read_version"();
CREATE TRIGGER "products_bump_catalog_read_version"
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "products"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_read_version"();
CREATE TRIGGER "product_variants_bump_catalog_read_version"
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "product_variants"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_read_version"();
CREATE TRIGGER "product_images_bump_catalog_read_version"
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "product_images"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_read_version"();

-- Categories form a tree: every existing category becomes a root (no parent), which is what it
-- was; nothing else changes.

-- AlterTable
ALTER TABLE "categories" ADD COLUMN "parent_id" UUID;

-- CreateIndex
CREATE INDEX "categories_parent_id_idx" ON "categories"("parent_id");

-- AddForeignKey
ALTER TABLE "categories" ADD CONSTRAINT "categories_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "categories"("id") ON DELETE SET NULL ON UPDATE CASCADE;

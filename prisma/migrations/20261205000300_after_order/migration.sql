-- After the order: refunds of captured payments, return requests and the order timeline.

-- AlterEnum
ALTER TYPE "payment_status" ADD VALUE 'PARTIALLY_REFUNDED';

-- AlterTable: what was captured and refunded; payments captured before this migration captured
-- their whole amount.
ALTER TABLE "payments" ADD COLUMN "captured_amount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "refunded_amount" INTEGER NOT NULL DEFAULT 0;
UPDATE "payments" SET "captured_amount" = "amount" WHERE "status" = 'CAPTURED';

-- CreateTable
CREATE TABLE "refunds" (
    "id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "order_id" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "return_request_id" TEXT,
    "requested_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refunds_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "refunds_return_request_id_key" ON "refunds"("return_request_id");

-- CreateIndex
CREATE INDEX "refunds_order_id_idx" ON "refunds"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "refunds_payment_id_idempotency_key_key" ON "refunds"("payment_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateEnum
CREATE TYPE "order_actor" AS ENUM ('CUSTOMER', 'ADMIN', 'SYSTEM');

-- AlterTable: who made each status change. Existing rows: placing is the customer's, shipping
-- and delivering an ADMIN's, a cancel says whose it was in its reason, the rest is the saga's.
ALTER TABLE "order_status_history" ADD COLUMN "actor" "order_actor" NOT NULL DEFAULT 'SYSTEM';
UPDATE "order_status_history" SET "actor" = 'CUSTOMER'
  WHERE "from_status" IS NULL OR "reason" = 'cancelled by the customer';
UPDATE "order_status_history" SET "actor" = 'ADMIN'
  WHERE "status" IN ('SHIPPED', 'DELIVERED') OR "reason" = 'cancelled by an administrator';

-- CreateEnum
CREATE TYPE "order_timeline_kind" AS ENUM ('PAYMENT_AUTHORIZED', 'PAYMENT_DECLINED', 'PAYMENT_CAPTURED', 'PAYMENT_REFUNDED', 'REFUND_ISSUED', 'RETURN_REQUESTED', 'RETURN_APPROVED', 'RETURN_REJECTED');

-- CreateEnum
CREATE TYPE "return_status" AS ENUM ('REQUESTED', 'APPROVED', 'REJECTED', 'REFUNDED');

-- CreateTable
CREATE TABLE "order_timeline" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "kind" "order_timeline_kind" NOT NULL,
    "actor" "order_actor" NOT NULL,
    "amount" INTEGER,
    "currency" CHAR(3),
    "note" TEXT,
    "return_request_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_timeline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_requests" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "status" "return_status" NOT NULL,
    "reason" TEXT NOT NULL,
    "refund_amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "decision_note" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "return_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_request_lines" (
    "return_request_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "return_request_lines_pkey" PRIMARY KEY ("return_request_id","position")
);

-- CreateIndex
CREATE INDEX "order_timeline_order_id_at_idx" ON "order_timeline"("order_id", "at");

-- CreateIndex
CREATE INDEX "return_requests_order_id_created_at_idx" ON "return_requests"("order_id", "created_at");

-- CreateIndex
CREATE INDEX "return_requests_status_created_at_id_idx" ON "return_requests"("status", "created_at", "id");

-- AddForeignKey
ALTER TABLE "order_timeline" ADD CONSTRAINT "order_timeline_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "return_request_lines" ADD CONSTRAINT "return_request_lines_return_request_id_fkey" FOREIGN KEY ("return_request_id") REFERENCES "return_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

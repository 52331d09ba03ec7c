-- CreateTable
CREATE TABLE "InventoryChange" (
    "seq" BIGSERIAL NOT NULL,
    "eventTime" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,

    CONSTRAINT "InventoryChange_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "InventoryChange_eventTime_idx" ON "InventoryChange"("eventTime");

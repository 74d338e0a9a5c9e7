-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pipelineId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "output" JSONB,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Pipeline" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "graph" JSONB NOT NULL,
    "deployedVersion" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Pipeline_id_deployedVersion_fkey" FOREIGN KEY ("id", "deployedVersion") REFERENCES "PipelineVersion" ("pipelineId", "version") ON DELETE NO ACTION ON UPDATE NO ACTION
);
INSERT INTO "new_Pipeline" ("createdAt", "deployedVersion", "description", "graph", "id", "name", "updatedAt") SELECT "createdAt", "deployedVersion", "description", "graph", "id", "name", "updatedAt" FROM "Pipeline";
DROP TABLE "Pipeline";
ALTER TABLE "new_Pipeline" RENAME TO "Pipeline";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Run_pipelineId_createdAt_idx" ON "Run"("pipelineId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_pipelineId_status_createdAt_idx" ON "Run"("pipelineId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Run_createdAt_idx" ON "Run"("createdAt");

import { afterAll, beforeAll } from "vitest";
import { createPostgresStore } from "../../src/store/create-postgres-store.js";
import { describeJobStore } from "./describe-job-store.js";
import { createTestDatabase, type TestDatabase } from "./postgres-test-database.js";

// One database for the file, emptied before each test: creating and dropping one per test costs ~0.4 s each.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describeJobStore("PostgreSQL store", async () => {
  const store = await createPostgresStore({ connectionString: database.connectionString, poolSize: 2 });
  await database.reset();
  return { store, dispose: async () => undefined };
});

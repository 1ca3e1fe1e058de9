import "dotenv/config";
import { defineConfig, env } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Prisma 6.19.3 migrates here with its bundled wasm schema engine through the pg driver adapter;
// Prisma 7 would download a native engine from a CDN that these machines cannot reach
// (docs/adr/0001-prisma-6-js-engine.md).
//
// Shims for the experimental JS schema engine + @prisma/adapter-pg@6.19.3:
//  a. pg_catalog columns of type "name" (oid 19) / "char" (oid 18) are rejected
//     ("Column type 'name' could not be deserialized", prisma/orm#27403): report them as text (25).
//  b. connectToShadowDb(): connectionString overrides the shadow `database`, and the shadow DB
//     is dropped before its pool is closed: own implementation.
//  c. executeScript() splits a migration on every ";", which cuts PL/pgSQL function bodies
//     ($$ … ; … $$) apart: send the script whole instead, as one simple-protocol query (Postgres
//     runs multi-statement scripts natively, and runs them atomically).

type Queryable = {
  performIO: (query: unknown) => Promise<{ fields?: { dataTypeID: number }[] }>;
  executeScript?: (script: string) => Promise<void>;
  underlyingDriver?: () => { query: (sql: string) => Promise<unknown> };
};

function poolConfigFromUrl(urlString: string): pg.PoolConfig {
  const url = new URL(urlString);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
  };
}

function withTextCatalogColumns<T extends object>(adapter: T): T {
  const queryable = adapter as unknown as Queryable;
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25;
    }
    return result;
  };
  const driver = queryable.underlyingDriver?.();
  if (queryable.executeScript && driver) {
    queryable.executeScript = async (script) => {
      await driver.query(script);
    };
  }
  return adapter;
}

class MigratePg extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    super(poolConfig);
  }

  override async connect() {
    return withTextCatalogColumns(await super.connect());
  }

  override async connectToShadowDb() {
    const database = `prisma_shadow_${Date.now()}`;
    const run = async (sql: string) => {
      const client = new pg.Client(this.poolConfig);
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await run(`CREATE DATABASE "${database}"`);
    const shadow = withTextCatalogColumns(await new PrismaPg({ ...this.poolConfig, database }).connect());
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await run(`DROP DATABASE IF EXISTS "${database}"`);
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx --conditions=react-server prisma/seed.ts" },
  async adapter() {
    return new MigratePg(poolConfigFromUrl(env("DATABASE_URL")));
  },
});

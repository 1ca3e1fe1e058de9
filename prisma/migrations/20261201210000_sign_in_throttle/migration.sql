-- CreateTable
-- The store of rate-limiter-flexible's RateLimiterPostgres (lib/server/auth/sign-in-throttle.ts).
-- It inserts positionally (VALUES (key, points, expire)), so the column order matters.
CREATE TABLE "SignInThrottle" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

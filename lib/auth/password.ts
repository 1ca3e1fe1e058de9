import bcrypt from "bcryptjs";

// bcrypt cost 10 keeps a sign-in around 50-100 ms on these 2-core machines: slow for an attacker,
// still instant for a person.
const BCRYPT_COST = 10;

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, BCRYPT_COST);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

/** Password hashing with bcrypt (bcryptjs: pure JS, no native build). */
import bcrypt from 'bcryptjs';

/** bcrypt reads only the first 72 bytes of a password; longer ones are refused rather than cut silently. */
export const MAX_PASSWORD_BYTES = 72;

export function hashPassword(password: string, rounds: number): Promise<string> {
  return bcrypt.hash(password, rounds);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/**
 * A hash of a random password at the configured cost, compared against when the email is unknown so
 * that "no such user" and "wrong password" take the same time.
 */
export function decoyHash(rounds: number): string {
  return bcrypt.hashSync(`decoy-${Math.random()}`, rounds);
}

/** Checking an email and password: shared by the API's login and the dashboard's login form. */
import type { UserRecord } from '../../persistence/users';
import type { ApiContext } from '../context';
import { decoyHash, verifyPassword } from './passwords';

const decoys = new Map<number, string>();

/**
 * The user when the password matches, else null. Unknown emails are compared against a decoy hash, so
 * both failures take the same time. An email listed in `ADMIN_EMAILS` is made admin on its next login.
 */
export async function verifyCredentials(
  ctx: ApiContext,
  email: string,
  password: string,
): Promise<UserRecord | null> {
  const { users } = ctx.repos();
  const user = await users.findUserByEmail(email);
  const rounds = ctx.cfg.PASSWORD_HASH_ROUNDS;
  let decoy = decoys.get(rounds);
  if (!decoy) {
    decoy = decoyHash(rounds);
    decoys.set(rounds, decoy);
  }
  const ok = await verifyPassword(password, user?.passwordHash ?? decoy);
  if (!user || !ok) return null;
  await users.recordLogin(user._id);
  if (user.role !== 'admin' && ctx.cfg.ADMIN_EMAILS.includes(user.email)) {
    return (await users.setRole(user._id, 'admin')) ?? user;
  }
  return user;
}

/**
 * Users and their personal API tokens. Passwords and tokens arrive here already hashed: this module
 * stores and finds, it never sees a secret in clear (the API hashes them).
 *
 * An API token is found by the SHA-256 of its secret on every request, so a revoked token stops
 * working at the next request, on every API process.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Lower-cased; unique. */
    email: { type: String, required: true },
    name: { type: String, default: '' },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: USER_ROLES, required: true, default: 'user' },
    /** Bumped on logout: every refresh token issued before carries an older version and stops working. */
    tokenVersion: { type: Number, required: true, default: 0 },
    lastLoginAt: { type: Date },
  },
  { timestamps: true, strict: true },
);
userSchema.index({ email: 1 }, { unique: true });

const apiTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    name: { type: String, required: true },
    /** SHA-256 (hex) of the token's secret; the secret itself is never stored. */
    tokenHash: { type: String, required: true },
    /** The first characters of the token, so users can tell their tokens apart. */
    prefix: { type: String, required: true },
    expiresAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true, strict: true },
);
apiTokenSchema.index({ tokenHash: 1 }, { unique: true });
apiTokenSchema.index({ owner: 1, createdAt: -1 });

export type UserDoc = InferSchemaType<typeof userSchema>;
export type ApiTokenDoc = InferSchemaType<typeof apiTokenSchema>;

export interface UserRecord {
  _id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: UserRole;
  tokenVersion: number;
  lastLoginAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiTokenRecord {
  _id: string;
  owner: string;
  name: string;
  tokenHash: string;
  prefix: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface UserModels {
  User: Model<UserDoc>;
  ApiToken: Model<ApiTokenDoc>;
}

const cache = new WeakMap<Connection, UserModels>();

export function userModels(connection: Connection): UserModels {
  let m = cache.get(connection);
  if (!m) {
    m = {
      User: connection.model<UserDoc>('User', userSchema),
      ApiToken: connection.model<ApiTokenDoc>('ApiToken', apiTokenSchema),
    };
    cache.set(connection, m);
  }
  return m;
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`a user with the email ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** `lastUsedAt` is refreshed at most this often, so using a token is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function userRepository(connection: Connection) {
  const { User, ApiToken } = userModels(connection);

  return {
    /** Builds the indexes now (mongoose also builds them in the background when the models are first bound). */
    async ensureIndexes(): Promise<void> {
      await Promise.all([User.createIndexes(), ApiToken.createIndexes()]);
    },

    async createUser(input: {
      id: string;
      email: string;
      name?: string;
      passwordHash: string;
      role: UserRole;
    }): Promise<UserRecord> {
      const email = input.email.toLowerCase();
      // Checked first as well as by the unique index: the index may still be building on a fresh store.
      if (await User.exists({ email })) throw new DuplicateEmailError(email);
      try {
        const doc = await User.create({
          _id: input.id,
          email,
          name: input.name ?? '',
          passwordHash: input.passwordHash,
          role: input.role,
        });
        return doc.toObject() as UserRecord;
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateEmailError(email);
        throw err;
      }
    },

    async findUserByEmail(email: string): Promise<UserRecord | null> {
      return (await User.findOne({ email: email.toLowerCase() }).lean()) as UserRecord | null;
    },

    async findUserById(id: string): Promise<UserRecord | null> {
      return (await User.findById(id).lean()) as UserRecord | null;
    },

    async listUsers(): Promise<UserRecord[]> {
      return (await User.find({}).sort({ createdAt: 1 }).lean()) as UserRecord[];
    },

    async setRole(id: string, role: UserRole): Promise<UserRecord | null> {
      return (await User.findByIdAndUpdate(
        id,
        { $set: { role } },
        { returnDocument: 'after' },
      ).lean()) as UserRecord | null;
    },

    async recordLogin(id: string): Promise<void> {
      await User.updateOne({ _id: id }, { $set: { lastLoginAt: new Date() } });
    },

    /** Invalidates every refresh token issued so far (logout). Returns the new version. */
    async bumpTokenVersion(id: string): Promise<number | null> {
      const doc = await User.findByIdAndUpdate(
        id,
        { $inc: { tokenVersion: 1 } },
        { returnDocument: 'after' },
      ).lean();
      return doc ? (doc.tokenVersion as number) : null;
    },

    async createApiToken(input: {
      id: string;
      owner: string;
      name: string;
      tokenHash: string;
      prefix: string;
      expiresAt: Date | null;
    }): Promise<ApiTokenRecord> {
      const doc = await ApiToken.create({ _id: input.id, ...input });
      return doc.toObject() as ApiTokenRecord;
    },

    /** The owner's tokens that are not revoked (expired ones included, marked by `expiresAt`). */
    async listApiTokens(owner: string): Promise<ApiTokenRecord[]> {
      return (await ApiToken.find({ owner, revokedAt: null })
        .sort({ createdAt: -1 })
        .lean()) as ApiTokenRecord[];
    },

    /** Revokes one of the owner's tokens; false when the owner has no such live token. */
    async revokeApiToken(owner: string, id: string): Promise<boolean> {
      const result = await ApiToken.updateOne(
        { _id: id, owner, revokedAt: null },
        { $set: { revokedAt: new Date() } },
      );
      return result.matchedCount === 1;
    },

    /** The live token with this hash (not revoked, not expired), or null. */
    async findLiveApiToken(tokenHash: string, now = new Date()): Promise<ApiTokenRecord | null> {
      const doc = (await ApiToken.findOne({ tokenHash }).lean()) as ApiTokenRecord | null;
      if (!doc || doc.revokedAt) return null;
      if (doc.expiresAt && doc.expiresAt.getTime() <= now.getTime()) return null;
      if (!doc.lastUsedAt || now.getTime() - doc.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        // Best effort: a lost update only makes "last used" a little older.
        void ApiToken.updateOne({ _id: doc._id }, { $set: { lastUsedAt: now } }).catch(() => undefined);
      }
      return doc;
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;

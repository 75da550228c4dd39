import type { Config } from '../config.ts';
import type { Database } from '../db.ts';
import type { RequestOrigin } from '../audit.ts';
import type { Messages } from '../messages.ts';
import type { SignedInAccount } from '../session.ts';
import type { Portal, Tenant } from '../tenant.ts';

/** What the app is built from; tests pass their own (a fresh database, a fake mail API). */
export type AppDeps = { db: Database; config: Config };

export type Env = {
  Variables: {
    origin: RequestOrigin;
    tenant: Tenant;
    portal: Portal;
    account: SignedInAccount | null;
    sessionId: string | null;
    messages: Messages;
    secureHeadersNonce?: string;
  };
};

-- Passkeys (WebAuthn) on both portals. One relying-party id serves every practice (the host of PUBLIC_URL), so a
-- credential is bound here to the tenant (row-level security), the portal and the account it was registered on, and
-- is simply unknown anywhere else.

create table passkeys (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  portal text not null check (portal in ('practice', 'patient')),
  -- The credential id as the browser sends it (base64url), and its COSE public key. No secret is stored.
  credential_id text not null check (length(credential_id) between 16 and 1400),
  public_key bytea not null check (length(public_key) <= 2048),
  -- WebAuthn user.id of the account's credentials (random, no personal data); sign-in checks the userHandle against it.
  user_handle text not null check (length(user_handle) between 16 and 86),
  -- Signature counter: a value that does not go up (when the authenticator keeps one) suggests a cloned authenticator.
  sign_count bigint not null default 0 check (sign_count >= 0),
  -- Backup eligibility (multi-device, "synced" passkeys) and backup state, as the authenticator last reported them.
  device_type text not null check (device_type in ('singleDevice', 'multiDevice')),
  backed_up boolean not null,
  transports text[] not null default '{}',
  aaguid uuid,
  name text not null check (length(name) between 1 and 60),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  primary key (tenant_id, id),
  -- Unique within a practice only: another practice's rows are invisible, so a clash there must not tell anything.
  unique (tenant_id, credential_id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index passkeys_account on passkeys (tenant_id, account_id, created_at);

-- An open WebAuthn ceremony: the challenge the authenticator must sign, alive a few minutes, used once. The browser
-- holds a random secret in a cookie and only its SHA-256 is here, so a challenge works only in the browser that
-- asked for it. Registration is also bound to the account and the session that confirmed the password.
create table passkey_challenges (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  secret_hash text not null unique,
  purpose text not null check (purpose in ('register', 'sign_in')),
  portal text not null check (portal in ('practice', 'patient')),
  challenge text not null check (length(challenge) between 16 and 128),
  account_id uuid,
  session_hash text,
  passkey_name text check (length(passkey_name) between 1 and 60),
  user_handle text check (length(user_handle) between 16 and 86),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  check (purpose = 'sign_in' or (account_id is not null and session_hash is not null and passkey_name is not null and user_handle is not null)),
  primary key (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index passkey_challenges_expiry on passkey_challenges (tenant_id, expires_at);

-- How a session began: a passkey sign-in is multi-factor by itself (possession and user verification), so the
-- practice's "staff must use 2FA" policy accepts it; a password alone is not.
alter table sessions add column signed_in_with text not null default 'password' check (signed_in_with in ('password', 'passkey'));

do $$
declare t text;
begin
  foreach t in array array['passkeys', 'passkey_challenges']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())', t);
    execute format('grant select, insert, update, delete on %I to gatehouse_app', t);
  end loop;
end $$;

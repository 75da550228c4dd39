-- Two-factor authentication (issue 5). The TOTP secret itself lives in accounts.totp_secret_encrypted (sql/001);
-- these tables hold what surrounds it. Every secret here is stored as a hash (recovery codes, SMS codes, pending
-- sign-in steps, remembered browsers) or encrypted (a secret being enrolled), never in clear.

-- Ten single-use codes per account, HMAC-SHA-256 keyed from SECRET_KEY: a copy of the table alone cannot be guessed
-- against offline.
create table two_factor_recovery_codes (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  code_hash text not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, account_id, code_hash),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);

-- A secret shown to its owner but not yet confirmed with a first code; bound to the session that started it.
create table two_factor_enrolments (
  tenant_id uuid not null,
  account_id uuid not null,
  session_hash text not null,
  secret_encrypted text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (tenant_id, account_id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);

-- The second sign-in step: the password was right, the code is still owed. Short-lived, a few tries, bound to
-- tenant (row-level security), portal and account; the browser holds the secret, only its SHA-256 is here.
create table two_factor_challenges (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  secret_hash text not null unique,
  account_id uuid not null,
  portal text not null check (portal in ('practice', 'patient')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  attempts integer not null default 0,
  sms_sent integer not null default 0,
  primary key (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index two_factor_challenges_account on two_factor_challenges (tenant_id, account_id);

-- Codes sent by text message (seed 003's "Request Token via SMS"): six digits, ten minutes, single use.
create table two_factor_sms_codes (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  code_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index two_factor_sms_codes_account on two_factor_sms_codes (tenant_id, account_id, created_at desc);

-- "Save token for 30 days": a browser trusted for the second step. The token is rotated on every use.
create table remembered_devices (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  portal text not null check (portal in ('practice', 'patient')),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text,
  primary key (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index remembered_devices_account on remembered_devices (tenant_id, account_id);

-- Deactivating an account forgets its remembered browsers and open sign-in steps, whichever code deactivates it
-- (staff administration, portal access): a later reactivation starts from a code again.
create function forget_two_factor_trust() returns trigger language plpgsql as $$
begin
  if new.status = 'deactivated' and old.status is distinct from 'deactivated' then
    delete from remembered_devices where tenant_id = new.tenant_id and account_id = new.id;
    delete from two_factor_challenges where tenant_id = new.tenant_id and account_id = new.id;
  end if;
  return new;
end $$;
create trigger accounts_deactivation_forgets_devices after update of status on accounts
  for each row execute function forget_two_factor_trust();

-- A reset link of an account with 2FA also asks for a code; this records that it was given.
alter table account_tokens add column two_factor_passed_at timestamptz;

do $$
declare t text;
begin
  foreach t in array array['two_factor_recovery_codes', 'two_factor_enrolments', 'two_factor_challenges', 'two_factor_sms_codes', 'remembered_devices']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())', t);
    execute format('grant select, insert, update, delete on %I to gatehouse_app', t);
  end loop;
end $$;

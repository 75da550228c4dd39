-- Gatehouse foundation: tenants, accounts of both portals, people, sessions, audit, throttles.
-- Every tenant-scoped table leads its keys with tenant_id and is guarded by row-level security keyed on the
-- transaction-local setting app.tenant_id. The application connects as gatehouse_app, which cannot bypass it.

create extension if not exists pg_trgm;

do $$ begin
  if not exists (select from pg_roles where rolname = 'gatehouse_app') then
    create role gatehouse_app nologin nobypassrls;
  end if;
end $$;
grant gatehouse_app to current_user;

create function app_tenant_id() returns uuid language sql stable
  as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

create table tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$'),
  name text not null check (length(name) between 1 and 200),
  settings jsonb not null default '{}',
  created_at timestamptz not null default now()
);
alter table tenants enable row level security;
alter table tenants force row level security;
-- Any request may resolve a practice by its slug; only the practice itself may change its row.
create policy tenants_read on tenants for select using (true);
create policy tenants_write on tenants for update using (id = app_tenant_id()) with check (id = app_tenant_id());
-- Practices are created by the operator command as the database owner (gatehouse_app has no INSERT on tenants).
create policy tenants_create on tenants for insert with check (true);

create table accounts (
  tenant_id uuid not null references tenants,
  id uuid not null default gen_random_uuid() unique,
  portal text not null check (portal in ('practice', 'patient')),
  username text not null check (length(username) between 1 and 254),
  email text check (email = lower(email) and length(email) <= 254),
  password_hash text,
  status text not null default 'active' check (status in ('invited', 'active', 'locked', 'deactivated')),
  must_change_password boolean not null default false,
  temporary_password_expires_at timestamptz,
  security_question text,
  security_answer_hash text,
  failed_sign_ins integer not null default 0,
  locked_until timestamptz,
  last_sign_in_at timestamptz,
  password_changed_at timestamptz,
  totp_secret_encrypted text,
  totp_enabled_at timestamptz,
  totp_last_used_step bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index accounts_username_key on accounts (tenant_id, portal, lower(username));
create unique index accounts_email_key on accounts (tenant_id, portal, email) where email is not null;

create table staff_profiles (
  tenant_id uuid not null,
  account_id uuid not null,
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  role text not null check (role in ('admin', 'provider', 'nurse', 'staff')),
  primary_provider_id uuid,
  cell_phone text check (length(cell_phone) <= 40),
  home_phone text check (length(home_phone) <= 40),
  primary key (tenant_id, account_id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, primary_provider_id) references accounts (tenant_id, id)
);
create index staff_profiles_name on staff_profiles (tenant_id, last_name, first_name);

create table patients (
  tenant_id uuid not null references tenants,
  id uuid not null default gen_random_uuid(),
  account_number text not null check (length(account_number) between 1 and 32),
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  date_of_birth date not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, account_number)
);
create index patients_last_name_trgm on patients using gin (last_name gin_trgm_ops);
create index patients_first_name_trgm on patients using gin (first_name gin_trgm_ops);
create index patients_birth on patients (tenant_id, date_of_birth);

-- A parent, guardian or adult patient as the practice knows them; account_id once they have portal access.
create table family_contacts (
  tenant_id uuid not null references tenants,
  id uuid not null default gen_random_uuid(),
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  email text check (email = lower(email) and length(email) <= 254),
  phone text check (length(phone) <= 40),
  account_id uuid,
  primary key (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id)
);
create index family_contacts_email on family_contacts (tenant_id, email);
create unique index family_contacts_account on family_contacts (tenant_id, account_id) where account_id is not null;

create table associations (
  tenant_id uuid not null,
  patient_id uuid not null,
  contact_id uuid not null,
  relationship text not null check (relationship in ('mother', 'father', 'guardian', 'grandparent', 'self', 'other')),
  primary key (tenant_id, patient_id, contact_id),
  foreign key (tenant_id, patient_id) references patients (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contact_id) references family_contacts (tenant_id, id) on delete cascade
);
create index associations_contact on associations (tenant_id, contact_id);

-- Only SHA-256 of the session id is stored: a copy of this table signs nobody in.
create table sessions (
  tenant_id uuid not null,
  id_hash text not null,
  account_id uuid not null,
  portal text not null check (portal in ('practice', 'patient')),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text,
  primary key (tenant_id, id_hash),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index sessions_account on sessions (tenant_id, account_id);

create table audit_events (
  tenant_id uuid not null references tenants,
  id bigint generated always as identity,
  occurred_at timestamptz not null default now(),
  action text not null,
  actor_account_id uuid,
  subject_account_id uuid,
  ip text,
  user_agent text,
  detail jsonb not null default '{}',
  primary key (tenant_id, id)
);
create index audit_events_time on audit_events (tenant_id, occurred_at desc);
create index audit_events_subject on audit_events (tenant_id, subject_account_id, occurred_at desc);

create function refuse_audit_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only';
end $$;
create trigger audit_events_append_only before update or delete on audit_events
  for each row execute function refuse_audit_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function refuse_audit_change();

-- Fixed-window counters shared by every instance (per IP, per email, per unknown sign-in name).
create table rate_limits (
  bucket text not null,
  key_hash text not null,
  window_started_at timestamptz not null default now(),
  hits integer not null default 0,
  blocked_until timestamptz,
  primary key (bucket, key_hash)
);

do $$
declare t text;
begin
  foreach t in array array['accounts', 'staff_profiles', 'patients', 'family_contacts', 'associations', 'sessions', 'audit_events']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())', t);
  end loop;
end $$;

grant usage on schema public to gatehouse_app;
grant select, insert, update, delete on all tables in schema public to gatehouse_app;
revoke update, delete, truncate on audit_events from gatehouse_app;
revoke insert, delete, truncate on tenants from gatehouse_app;
revoke all on schema_migrations from gatehouse_app;
grant usage, select on all sequences in schema public to gatehouse_app;

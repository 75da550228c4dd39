-- Patient Administration (P5): search over a practice's patients (a million is the design size), and the short-
-- lived, encrypted copy of a staff-set temporary password that the printable credentials sheet needs.
--
-- Why plain columns and range conditions rather than expression or trigram indexes: under row-level security
-- PostgreSQL only uses a condition as an index condition when every function in it is leakproof. Comparisons
-- (=, <, >=) on text, dates and uuids are; LIKE, ILIKE, lower() and || are not, so an index on
-- lower(last_name || ' ' || first_name) or a trigram LIKE '%x%' would never be used for gatehouse_app, whose
-- queries are always under RLS. A prefix P is therefore searched as `column >= P and column < P || U+10FFFF`
-- on columns in the "C" collation (byte order, so that range is exactly "starts with P"), and the index order
-- is the result order: a page of 25 is read straight off the index however many patients match.

-- "last first", lower-cased: "parent riley". Kept by PostgreSQL itself, so no code path can forget it.
alter table patients
  add column search_name text collate "C" generated always as (lower(last_name || ' ' || first_name)) stored;
-- Namesakes come in account-number order (unique per practice, so every page boundary is stable).
create index patients_search_name on patients (tenant_id, search_name, (account_number collate "C"));
-- Account numbers as typed ("1000" finds 10001, 10002 …), in account-number order.
create index patients_account_prefix on patients (tenant_id, (account_number collate "C"));
-- Guardian email prefix, then the guardian's patients through associations_contact.
create index family_contacts_email_prefix on family_contacts (tenant_id, (email collate "C")) where email is not null;
-- (tenant_id, date_of_birth) exists since 001 (patients_birth); an exact date uses it.
-- 001's trigram indexes on last_name and first_name can serve no query of gatehouse_app (LIKE is not leakproof,
-- see above) and would only slow every insert into a large practice's patients.
drop index patients_last_name_trgm;
drop index patients_first_name_trgm;

-- A temporary password set by staff, kept only so the credentials sheet can be printed: encrypted with a key of
-- its own purpose (AES-256-GCM, key from SECRET_KEY), readable only by the staff member who set it, and gone
-- within 15 minutes (expired rows are deleted whenever printouts are touched, and by the sweep policy below).
create table credential_printouts (
  tenant_id uuid not null references tenants,
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  patient_id uuid not null,
  created_by uuid not null,
  password_encrypted text not null,
  temporary_until timestamptz not null,
  -- What the sheet says about the notification email: the masked address it went to, or why none was sent.
  notice_sent_to text check (length(notice_sent_to) <= 254),
  notice_missing_reason text check (notice_missing_reason in ('no_email', 'not_requested')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '15 minutes',
  check (expires_at <= created_at + interval '15 minutes'),
  check ((notice_sent_to is null) <> (notice_missing_reason is null)),
  primary key (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, created_by) references accounts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, patient_id) references patients (tenant_id, id) on delete cascade
);
create index credential_printouts_account on credential_printouts (tenant_id, account_id);
create index credential_printouts_expiry on credential_printouts (expires_at);

alter table credential_printouts enable row level security;
alter table credential_printouts force row level security;
create policy tenant_isolation on credential_printouts
  using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
-- A housekeeping sweep across practices may find and delete expired printouts, and nothing else (a DELETE that
-- filters rows needs to see them, hence the SELECT policy).
create policy expired_sweep_read on credential_printouts for select
  using (current_setting('app.worker', true) = 'printout-sweep' and expires_at <= now());
create policy expired_sweep on credential_printouts for delete
  using (current_setting('app.worker', true) = 'printout-sweep' and expires_at <= now());

grant select, insert, update, delete on credential_printouts to gatehouse_app;

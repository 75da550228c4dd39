-- Homes (issue 12). Every count and list on the administrator's home, and the front desk's recently opened patients,
-- is read from an index that starts with the practice and holds only the rows it counts, so a practice with a
-- million patients answers as fast as a small one (figures: README, `npm run bench`).

-- Opening a patient's page is audited (who looked at whose record); the front desk's home reads its own recent ones.
create index audit_events_patient_opened on audit_events (tenant_id, actor_account_id, occurred_at desc)
  where action = 'patient.opened';

-- Accounts locked by sign-in failures (until a time) or by the practice; temporary passwords not yet replaced.
create index accounts_locked on accounts (tenant_id, locked_until) where locked_until is not null or status = 'locked';
create index accounts_temporary_password on accounts (tenant_id, temporary_password_expires_at)
  where must_change_password and temporary_password_expires_at is not null;

-- Invitation and reset links still open (neither used nor revoked), by when they stop working.
create index account_tokens_open on account_tokens (tenant_id, purpose, expires_at) where used_at is null and revoked_at is null;

-- Emails in trouble: failed for good, or waiting for another try after a failed one.
create index outbox_trouble on outbox (tenant_id, created_at) where status = 'failed' or attempts > 0;

-- Retention (issue 15): what Gatehouse keeps, for how long, and who may delete it. The sweeps run in the
-- background (src/app.ts) as named workers; each policy below bounds what its worker can touch, so a mistake in a
-- sweep's query can delete nothing younger than its window.

-- Audit events: kept at least six years (HIPAA, 45 CFR 164.316(b)(2)), then deleted by the 'audit-retention'
-- worker. The table stays append-only for everyone else: the trigger of sql/001 now lets exactly one kind of DELETE
-- through, a row older than six years deleted by that worker. UPDATE and TRUNCATE are still refused to all.
create or replace function refuse_audit_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('app.worker', true) = 'audit-retention' then
    if old.occurred_at < now() - interval '6 years' then
      return old;
    end if;
  end if;
  raise exception 'audit_events is append-only';
end $$;

grant delete on audit_events to gatehouse_app;
create policy retention_read on audit_events for select
  using (current_setting('app.worker', true) = 'audit-retention' and occurred_at < now() - interval '6 years');
create policy retention_delete on audit_events for delete
  using (current_setting('app.worker', true) = 'audit-retention' and occurred_at < now() - interval '6 years');

-- Sessions past their end: the 12-hour absolute limit, or idle longer than the practice allows (never less than
-- 5 minutes, the shortest idle setting; the sweep applies each practice's own).
create policy retention_read on sessions for select
  using (current_setting('app.worker', true) = 'retention' and (expires_at <= now() or last_seen_at <= now() - interval '5 minutes'));
create policy retention_delete on sessions for delete
  using (current_setting('app.worker', true) = 'retention' and (expires_at <= now() or last_seen_at <= now() - interval '5 minutes'));

-- Reset and invitation links a week after they were used, revoked or expired (until then the link's page can
-- still say "already used" or "expired" instead of "not valid"). LEAST ignores the columns that are null.
create policy retention_read on account_tokens for select
  using (current_setting('app.worker', true) = 'retention' and least(used_at, revoked_at, expires_at) < now() - interval '7 days');
create policy retention_delete on account_tokens for delete
  using (current_setting('app.worker', true) = 'retention' and least(used_at, revoked_at, expires_at) < now() - interval '7 days');

-- Two-factor leftovers once they can no longer be used: sign-in steps, text-message codes, unconfirmed set-ups,
-- remembered browsers.
create policy retention_read on two_factor_challenges for select
  using (current_setting('app.worker', true) = 'retention' and expires_at <= now());
create policy retention_delete on two_factor_challenges for delete
  using (current_setting('app.worker', true) = 'retention' and expires_at <= now());
create policy retention_read on two_factor_sms_codes for select
  using (current_setting('app.worker', true) = 'retention' and (expires_at <= now() or used_at is not null));
create policy retention_delete on two_factor_sms_codes for delete
  using (current_setting('app.worker', true) = 'retention' and (expires_at <= now() or used_at is not null));
create policy retention_read on two_factor_enrolments for select
  using (current_setting('app.worker', true) = 'retention' and expires_at <= now());
create policy retention_delete on two_factor_enrolments for delete
  using (current_setting('app.worker', true) = 'retention' and expires_at <= now());
create policy retention_read on remembered_devices for select
  using (current_setting('app.worker', true) = 'retention' and expires_at <= now());
create policy retention_delete on remembered_devices for delete
  using (current_setting('app.worker', true) = 'retention' and expires_at <= now());

-- The outbox needs no policy: its sweep runs as the delivery worker ('outbox', sql/002), which owns those rows.

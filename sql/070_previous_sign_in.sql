-- Every home shows its owner's previous sign-in (the one before the latest). Read from the practice's sign-ins in
-- general, it walked back through everyone's since the owner's last one, so the page grew slower with every sign-in
-- at the practice; this index holds each account's own sign-ins, newest first, and the page reads two entries.
create index audit_events_sign_ins on audit_events (tenant_id, actor_account_id, occurred_at desc, id desc)
  where action = 'sign_in.succeeded';

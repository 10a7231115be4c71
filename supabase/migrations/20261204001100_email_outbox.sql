-- The transactional email outbox: rows written in the same transaction as the event they
-- announce, delivered by a worker with retries. Service-only.
--
-- Objects: table public.email_outbox; grants, RLS (no policies), indexes.
-- Destructive: none.

create table public.email_outbox (
  id uuid primary key default gen_random_uuid(),
  to_email text not null check (char_length(to_email) between 3 and 320),
  subject text not null check (char_length(subject) between 1 and 500),
  html text not null,
  text text not null,
  -- pending: waiting (again, after a failed attempt); sending: claimed by a worker;
  -- sent: delivered to the SMTP server; failed: given up.
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now()
);

comment on table public.email_outbox is
  'Outgoing email, magic links included. Only service_role reads or writes it; workers claim '
  'rows with for update skip locked. Holds links: never grant it to anon or authenticated.';

-- The worker's claim query: due pending rows, oldest first.
create index email_outbox_due_idx on public.email_outbox (next_attempt_at)
  where status = 'pending';

-- RLS without policies: nobody but service_role (which bypasses RLS) sees a row, even if a
-- grant is added by mistake.
alter table public.email_outbox enable row level security;
revoke all on table public.email_outbox from anon, authenticated;
grant all on table public.email_outbox to service_role;

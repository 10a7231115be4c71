-- Sign-in link requests, recorded before a link is issued so the answer takes the same time
-- whether or not the address is known, and so requests can be rate-limited per address.
-- Service-only.
--
-- Objects: table public.auth_link_requests; grants, RLS (no policies), indexes.
-- Destructive: none.

create table public.auth_link_requests (
  id uuid primary key default gen_random_uuid(),
  email extensions.citext not null check (char_length(email) between 3 and 320),
  audience text not null check (audience in ('portal', 'app')),
  -- Where the link leads after sign-in, already made safe by the app: a path (and query) under
  -- /portal or /app. The check is a backstop against an open redirect.
  next_path text check (char_length(next_path) <= 1024 and next_path ~ '^/(portal|app)([/?]|$)'),
  requested_at timestamptz not null default now(),
  processed_at timestamptz,
  -- What processing did, for rate limiting and support (e.g. sent, unknown, rate_limited).
  outcome text check (outcome ~ '^[a-z_]+$'),
  created_at timestamptz not null default now()
);

comment on table public.auth_link_requests is
  'Magic-link requests by address and audience, processed in the background. Only '
  'service_role reads or writes it; it reveals who tried to sign in.';

create index auth_link_requests_email_idx on public.auth_link_requests (email, requested_at desc);
create index auth_link_requests_pending_idx on public.auth_link_requests (requested_at)
  where processed_at is null;

alter table public.auth_link_requests enable row level security;
revoke all on table public.auth_link_requests from anon, authenticated;
grant all on table public.auth_link_requests to service_role;

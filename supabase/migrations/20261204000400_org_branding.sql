-- Portal branding per studio: the only org-level row a client contact may read.
--
-- Objects: table public.org_branding with its updated_at trigger, grants and RLS policies.
-- Destructive: none.

create table public.org_branding (
  org_id uuid primary key references public.orgs (id) on delete cascade,
  display_name text not null check (char_length(display_name) between 1 and 200),
  -- Strict #rrggbb: the value lands in a CSS custom property on the portal.
  accent_color text not null default '#3b5bdb' check (accent_color ~ '^#[0-9a-f]{6}$'),
  logo_path text,
  -- Off by default: clients learn team members' names only if the studio opts in.
  show_team_names boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.org_branding is
  'How a studio presents itself in its client portal and emails. Readable by its members and '
  'by active contacts of its clients.';

create trigger org_branding_set_updated_at
  before update on public.org_branding
  for each row execute function private.set_updated_at();

alter table public.org_branding enable row level security;
revoke all on table public.org_branding from anon, authenticated;
grant select on table public.org_branding to authenticated;
grant all on table public.org_branding to service_role;

create policy "Members can read their org's branding"
  on public.org_branding for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Contacts can read the branding of their studios"
  on public.org_branding for select
  to authenticated
  using (org_id = any (array(select private.active_contact_org_ids())));

-- What an episode costs the studio, as line items in minor units (cents) with their currency.
-- Costs, rates and billing are studio-only.
--
-- Objects: table public.episode_costs with its updated_at trigger; grants, RLS, indexes.
-- Destructive: none.

create table public.episode_costs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  client_id uuid not null,
  episode_id uuid not null,
  description text not null check (char_length(description) between 1 and 500),
  -- Integer minor units: no rounding drift. Negative for discounts and credits.
  amount_minor bigint not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (episode_id, client_id, org_id)
    references public.episodes (id, client_id, org_id) on delete cascade
);

comment on table public.episode_costs is
  'Cost line items of an episode (ISO 4217 currency, amount in minor units). Studio-only: '
  'never visible to client contacts.';

create index episode_costs_org_id_idx on public.episode_costs (org_id);
create index episode_costs_client_id_idx on public.episode_costs (client_id);
create index episode_costs_episode_id_idx on public.episode_costs (episode_id);
create index episode_costs_created_by_idx on public.episode_costs (created_by);

create trigger episode_costs_set_updated_at
  before update on public.episode_costs
  for each row execute function private.set_updated_at();

alter table public.episode_costs enable row level security;
revoke all on table public.episode_costs from anon, authenticated;
grant select, delete on table public.episode_costs to authenticated;
grant insert (org_id, client_id, episode_id, description, amount_minor, currency)
  on table public.episode_costs to authenticated;
grant update (description, amount_minor, currency) on table public.episode_costs
  to authenticated;
grant all on table public.episode_costs to service_role;

create policy "Members can read their org's episode costs"
  on public.episode_costs for select
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

create policy "Members can add costs to their org's episodes"
  on public.episode_costs for insert
  to authenticated
  with check (org_id = any (array(select private.member_org_ids())));

create policy "Members can change their org's episode costs"
  on public.episode_costs for update
  to authenticated
  using (org_id = any (array(select private.member_org_ids())))
  with check (org_id = any (array(select private.member_org_ids())));

create policy "Members can remove their org's episode costs"
  on public.episode_costs for delete
  to authenticated
  using (org_id = any (array(select private.member_org_ids())));

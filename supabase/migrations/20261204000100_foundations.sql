-- Foundations: the private schema for RLS helpers, default privileges and the shared enums.
--
-- Objects: schema private; default privileges of the migration role; function
-- private.set_updated_at(); enums org_role, client_status, deliverable_kind, deliverable_status,
-- comment_visibility, review_decision_kind; extension citext (in schema extensions).
-- Destructive: none. It only narrows what future objects grant by default.

create extension if not exists citext with schema extensions;

-- Helpers used by policies live here: PostgREST does not expose the schema, and nobody but
-- `authenticated` (whose policies call the helpers) may even resolve names in it.
create schema if not exists private;
revoke all on schema private from public, anon;
grant usage on schema private to authenticated;

-- Supabase grants everything on new tables, functions and sequences to anon and authenticated
-- by default; here every right is granted explicitly beside its table or function instead.
-- Functions are executable by PUBLIC by default at the global level, which a per-schema default
-- cannot take away, hence the global revoke.
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke all on functions from anon, authenticated;
alter default privileges revoke execute on functions from public;

create type public.org_role as enum ('owner', 'admin', 'producer');
create type public.client_status as enum (
  'in_progress', 'ready_for_review', 'approved', 'published'
);
create type public.deliverable_kind as enum (
  'rough_cut', 'final_mix', 'video_cut', 'show_notes', 'transcript', 'cover_art', 'social_clip',
  'other'
);
create type public.deliverable_status as enum (
  'draft', 'in_review', 'revision_requested', 'approved'
);
create type public.comment_visibility as enum ('client', 'internal');
create type public.review_decision_kind as enum ('approved', 'revision_requested');

create function private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

revoke execute on function private.set_updated_at() from public;

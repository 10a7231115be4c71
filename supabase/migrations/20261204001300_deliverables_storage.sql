-- The private storage bucket for deliverable files and who may touch which object in it.
--
-- Objects: row 'deliverables' in storage.buckets; function private.contact_storage_paths();
-- policies on storage.objects.
-- Destructive: updates the bucket's settings if a bucket with that id already exists.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values (
  'deliverables', 'deliverables', false, 524288000,
  array['audio/*', 'video/*', 'application/pdf', 'image/*', 'text/*']
)
on conflict (id) do update
set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

-- The objects a contact may read: exactly those a version they can see points at.
create function private.contact_storage_paths()
returns setof text
language sql
stable
security definer
set search_path = ''
as $$
  select v.storage_path
  from public.deliverable_versions v
  where v.id = any (array(select private.contact_version_ids()))
$$;

revoke execute on function private.contact_storage_paths() from public;
grant execute on function private.contact_storage_paths() to authenticated;

-- Object names are {org_id}/{deliverable_id}/{version_id}/{file_name}; the first folder names
-- the org, compared as text so a malformed name cannot raise.
create policy "Members can read their org's deliverable files"
  on storage.objects for select
  to authenticated
  using (
    bucket_id = 'deliverables'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.member_org_ids() as org_id)
    )
  );

create policy "Members can upload their org's deliverable files"
  on storage.objects for insert
  to authenticated
  with check (
    bucket_id = 'deliverables'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.member_org_ids() as org_id)
    )
  );

create policy "Members can update their org's deliverable files"
  on storage.objects for update
  to authenticated
  using (
    bucket_id = 'deliverables'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.member_org_ids() as org_id)
    )
  )
  with check (
    bucket_id = 'deliverables'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.member_org_ids() as org_id)
    )
  );

create policy "Members can delete their org's deliverable files"
  on storage.objects for delete
  to authenticated
  using (
    bucket_id = 'deliverables'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.member_org_ids() as org_id)
    )
  );

create policy "Contacts can read files of versions they can review"
  on storage.objects for select
  to authenticated
  using (
    bucket_id = 'deliverables'
    and name = any (array(select private.contact_storage_paths()))
  );

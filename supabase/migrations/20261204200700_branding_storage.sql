-- The public storage bucket for studio logos, and who may write which object in it. Public:
-- the portal and emails load logos by URL, before and without a session. Raster images only:
-- an SVG in a public bucket is a script an attacker could host under our origin.
--
-- Objects: row 'branding' in storage.buckets; policies on storage.objects.
-- Destructive: updates the bucket's settings if a bucket with that id already exists.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('branding', 'branding', true, 2097152, array['image/png', 'image/jpeg', 'image/webp'])
on conflict (id) do update
set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

-- Object names are {org_id}/{file_name}. The Storage API enforces the bucket's MIME types; the
-- extension check here keeps an .svg name out even if a client lies about the type.
create policy "Members can read their org's branding files"
  on storage.objects for select
  to authenticated
  using (
    bucket_id = 'branding'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.member_org_ids() as org_id)
    )
  );

create policy "Admins can upload their org's branding images"
  on storage.objects for insert
  to authenticated
  with check (
    bucket_id = 'branding'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.admin_org_ids() as org_id)
    )
    and lower(storage.extension(name)) = any (array['png', 'jpg', 'jpeg', 'webp'])
  );

create policy "Admins can replace their org's branding images"
  on storage.objects for update
  to authenticated
  using (
    bucket_id = 'branding'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.admin_org_ids() as org_id)
    )
  )
  with check (
    bucket_id = 'branding'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.admin_org_ids() as org_id)
    )
    and lower(storage.extension(name)) = any (array['png', 'jpg', 'jpeg', 'webp'])
  );

create policy "Admins can delete their org's branding images"
  on storage.objects for delete
  to authenticated
  using (
    bucket_id = 'branding'
    and (storage.foldername(name))[1] = any (
      array(select org_id::text from private.admin_org_ids() as org_id)
    )
  );

-- Speed: indexes that let the contact helpers answer from the index alone.
--
-- Objects: indexes deliverables_open_client_id_idx, deliverable_versions_submitted_idx,
-- deliverable_versions_submitted_client_id_idx.
-- Destructive: none.
--
-- private.contact_deliverable_ids() lists a client's deliverables out of draft that have a
-- submitted version; private.contact_version_ids() lists the submitted versions of those. Every
-- portal statement runs one or both. With the partial indexes below (their predicates are the
-- helpers' own conditions) both answer from index-only scans: a range per client for the
-- deliverables and for their submitted versions (20261204300500), and one descent per visible
-- deliverable for its versions, instead of a heap page per row, scattered over tables that grow
-- for years.

create index deliverables_open_client_id_idx on public.deliverables (client_id, id)
  where status <> 'draft';

create index deliverable_versions_submitted_idx
  on public.deliverable_versions (deliverable_id, id)
  where submitted_at is not null;

create index deliverable_versions_submitted_client_id_idx
  on public.deliverable_versions (client_id, deliverable_id)
  where submitted_at is not null;

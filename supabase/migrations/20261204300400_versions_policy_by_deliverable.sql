-- Speed: contacts' read policy on deliverable_versions checks the row's own columns against the
-- deliverables the contact may see, instead of against the list of every version they may see.
--
-- Objects: policy "Contacts can read submitted versions of their deliverables" on
-- public.deliverable_versions (altered: same name, command, role; same rows).
-- Destructive: none.
--
-- The old test, `id = any (array(select private.contact_version_ids()))`, built that list from
-- private.contact_deliverable_ids() in every statement reading versions. The helper defines a
-- visible version as one that is submitted and belongs to a visible deliverable, so asking
-- exactly that of the row lets the same rows through and skips one level of listing. The
-- helper stays: review decisions and storage objects, which carry no submitted_at, still use it.

alter policy "Contacts can read submitted versions of their deliverables"
  on public.deliverable_versions
  using (
    submitted_at is not null
    and deliverable_id = any (array(select private.contact_deliverable_ids()))
  );

import type { Tx } from './db.ts';

export interface PortalBranding {
	displayName: string;
	accentColor: string | null;
	logoPath: string | null;
}

const hexColor = /^#[0-9a-f]{6}$/i;

/**
 * The studio's portal branding as the caller may read it. The accent colour goes into a style
 * attribute, so it is checked here too, not only by the column's constraint.
 */
export async function loadBranding(tx: Tx, orgId: string): Promise<PortalBranding | null> {
	const [row] = await tx<PortalBranding[]>`
		select b.display_name as "displayName", b.accent_color as "accentColor",
			b.logo_path as "logoPath"
		from public.org_branding b
		where b.org_id = ${orgId}`;
	if (!row) {
		return null;
	}
	return {
		...row,
		accentColor: row.accentColor && hexColor.test(row.accentColor) ? row.accentColor : null
	};
}

export const load = ({ locals }) => {
	// The guard in hooks.server.ts has already required at least one membership.
	const [membership] = locals.memberships;
	return { studio: { name: membership.orgName, role: membership.role } };
};

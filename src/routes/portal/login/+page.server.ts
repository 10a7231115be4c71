import { magicLinkAction } from '#lib/server/auth/login-action.ts';
import { safeNextPath } from '#lib/server/auth/next-path.ts';

export const load = ({ url }) => ({ next: safeNextPath(url.searchParams.get('next'), 'portal') });

export const actions = { default: magicLinkAction('portal') };

import { magicLinkAction } from '#lib/server/auth/login-action.ts';
import { safeNextPath } from '#lib/server/auth/next-path.ts';

export const load = ({ url }) => ({ next: safeNextPath(url.searchParams.get('next'), 'app') });

export const actions = { default: magicLinkAction('app') };

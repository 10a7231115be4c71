import { signedMediaRedirect } from '#lib/server/media.ts';

export const GET = ({ params, locals }) => signedMediaRedirect(locals, params.id);

import { greeting } from '#lib/greet.ts';
export const load = () => ({ msg: greeting('x') });

export const greeting = (n: string): string => 'hi ' + n;

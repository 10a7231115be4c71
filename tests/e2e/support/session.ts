import { expect, type Page } from '@playwright/test';
import { messagesTo, waitForMail, type ReceivedMail } from './mail.ts';

/** Asks for a sign-in link through the form, the way a person does, and returns the email. */
export async function requestLink(
	page: Page,
	email: string,
	loginPath: '/portal/login' | '/login' = '/portal/login'
): Promise<ReceivedMail> {
	const before = (await messagesTo(email)).length;
	await page.goto(loginPath);
	await page.getByLabel('Email address').fill(email);
	await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
	await expect(page.getByRole('status')).toContainText('Check your inbox');
	return waitForMail(email, before + 1);
}

/** Opens a link from an email and presses Continue, as the confirm page asks. */
export async function followLink(page: Page, link: string): Promise<void> {
	await page.goto(link);
	await page.getByRole('button', { name: 'Continue' }).click();
}

export async function signIn(
	page: Page,
	email: string,
	loginPath: '/portal/login' | '/login' = '/portal/login'
): Promise<void> {
	const mail = await requestLink(page, email, loginPath);
	await followLink(page, mail.link);
	await expect(page).toHaveURL(loginPath === '/login' ? /\/app$/ : /\/portal$/);
}

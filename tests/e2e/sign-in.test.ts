import { expect, test } from '@playwright/test';
import { createContact, expireLinksOf, linkOutcomes, seed } from './support/data.ts';
import { messagesTo, waitForMail } from './support/mail.ts';
import { followLink, requestLink, signIn } from './support/session.ts';

const expiredHeading = 'This link has expired or was already used';

test('gives unknown addresses the same answer and sends them nothing', async ({ page }) => {
	const unknown = `nobody-${Date.now()}@example.com`;
	await page.goto('/portal/login');
	await page.getByLabel('Email address').fill(unknown);
	await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
	await expect(page.getByRole('status')).toContainText(`If ${unknown} has access`);

	// Requests are handled in order, so once a later request's mail is out, the unknown one
	// has been decided too.
	const known = await createContact();
	await requestLink(page, known);
	expect(await messagesTo(unknown)).toHaveLength(0);
});

test('refuses an invalid address with a clear message and keeps what was typed', async ({
	page
}) => {
	await page.goto('/portal/login');
	await page.getByLabel('Email address').fill('maya@clearwater');
	await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
	await expect(page.getByText('Enter a valid email address, like name@example.com')).toBeVisible();
	await expect(page.getByLabel('Email address')).toHaveValue('maya@clearwater');
	await expect(page.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
});

test('sends a branded email with both parts and the expiry', async ({ page }) => {
	const email = await createContact();
	const mail = await requestLink(page, email);
	expect(mail.subject).toBe('Your sign-in link for Northwind Audio');
	expect(mail.text).toContain('Northwind Audio');
	expect(mail.text).toContain('expires in 15 minutes');
	expect(mail.html).toContain('Northwind Audio');
	expect(mail.html).toContain(mail.link.replaceAll('&', '&amp;'));
});

test('opening a link does not sign in until Continue is pressed', async ({ page }) => {
	const email = await createContact();
	const mail = await requestLink(page, email);

	// What a mail scanner does: fetch the link. The token must survive it.
	const scanned = await page.request.get(mail.link);
	expect(scanned.status()).toBe(200);
	await followLink(page, mail.link);
	await expect(page).toHaveURL(/\/portal$/);
});

test('a used link is refused and offers a fresh one', async ({ page, browser }) => {
	const email = await createContact();
	const mail = await requestLink(page, email);
	await followLink(page, mail.link);
	await expect(page).toHaveURL(/\/portal$/);

	const other = await browser.newPage();
	await followLink(other, mail.link);
	await expect(other.getByRole('heading', { name: expiredHeading })).toBeVisible();
	await other.getByLabel('Email address').fill(email);
	await other.getByRole('button', { name: 'Email me a new link' }).click();
	await expect(other.getByRole('status')).toContainText('Check your inbox');
	await waitForMail(email, 2);
	await other.close();
});

test('a newer link replaces an older one', async ({ page }) => {
	const email = await createContact();
	const first = await requestLink(page, email);
	const second = await requestLink(page, email);
	expect(second.link).not.toBe(first.link);

	await followLink(page, first.link);
	await expect(page.getByRole('heading', { name: expiredHeading })).toBeVisible();
	await followLink(page, second.link);
	await expect(page).toHaveURL(/\/portal$/);
});

test('an expired link is refused', async ({ page }) => {
	const email = await createContact();
	const mail = await requestLink(page, email);
	await expireLinksOf(email);

	await followLink(page, mail.link);
	await expect(page.getByRole('heading', { name: expiredHeading })).toBeVisible();
	await expect(page).toHaveURL(/\/auth\/confirm/);
});

test('a link leads back to the page that asked for sign-in, never off-site', async ({ page }) => {
	await page.goto(`/portal/deliverables/${seed.episode12FinalMix}`);
	await expect(page).toHaveURL(/\/portal\/login\?next=/);

	await page.goto('/portal/login?next=//evil.example/portal');
	await expect(page.locator('input[name="next"]')).toHaveValue('/portal');
});

test('a client contact who opens the studio workspace is sent to the portal', async ({ page }) => {
	const email = await createContact();
	await signIn(page, email);
	await page.goto('/app');
	await expect(page).toHaveURL(/\/portal$/);
	await expect(page.getByText('Priya Shah')).toHaveCount(0);
});

test('signing out ends the session', async ({ page }) => {
	const email = await createContact();
	await signIn(page, email);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/portal\/login$/);
	await page.goto('/portal');
	await expect(page).toHaveURL(/\/portal\/login\?next=%2Fportal$/);
});

test('limits links per address and says nothing different when it does', async ({
	page,
	baseURL
}) => {
	const email = await createContact();
	const ask = () =>
		page.request.post('/portal/login', {
			form: { email, next: '/portal' },
			headers: { Origin: baseURL! }
		});
	for (let i = 0; i < 6; i++) {
		const response = await ask();
		expect(response.status()).toBe(200);
	}

	await expect
		.poll(() => linkOutcomes(email))
		.toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'rate_limited']);
	await expect.poll(async () => (await messagesTo(email)).length).toBe(5);
});

test('refuses a sign-in form posted from another site', async ({ page }) => {
	const response = await page.request.post('/portal/login', {
		form: { email: seed.maya },
		headers: { Origin: 'https://evil.example' }
	});
	expect(response.status()).toBe(403);
});

test('a studio member who opens the portal is sent to the studio workspace', async ({ page }) => {
	await signIn(page, seed.producerEmail, '/login');
	await page.goto('/portal');
	await expect(page).toHaveURL(/\/app$/);
});

test('a used link opened again in a signed-in browser leads on instead of asking again', async ({
	page,
	context
}) => {
	const email = await createContact();
	const mail = await requestLink(page, email);
	await followLink(page, mail.link);
	await expect(page).toHaveURL(/\/portal$/);

	const secondTab = await context.newPage();
	await followLink(secondTab, mail.link);
	await expect(secondTab.getByRole('heading', { name: 'You are already signed in' })).toBeVisible();
	await secondTab.getByRole('link', { name: 'Continue' }).click();
	await expect(secondTab).toHaveURL(/\/portal$/);
});

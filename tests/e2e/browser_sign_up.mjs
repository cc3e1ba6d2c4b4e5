// Sign up for "Rooster tweedaagse" in the Agents Playground's own UI, in Chromium.
//
//   node tests/e2e/browser_sign_up.mjs <playground url> <output folder> <participant>
//
// Types "trainingen", pages to the session, clicks its "Aanmelden", fills the name,
// clicks the card's "Aanmelden" and waits for the confirmation. Prints one JSON line
// ({confirmation, timings}) and saves sign-up.png; on failure saves failure.png and
// the page's text, and exits 1. The UI asks a CDN for fonts and a script; offline
// they fail and it falls back, so requests that leave the Playground are refused at
// once instead of waiting for DNS.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, outDir, participant] = process.argv.slice(2);
if (!base || !outDir || !participant) {
  console.error('usage: browser_sign_up.mjs <playground url> <output folder> <participant>');
  process.exit(2);
}
const STEP_MS = 15000;
const ROOSTER_DAYS = 'woensdag 15 maart 2023 en donderdag 16 maart 2023';

fs.mkdirSync(outDir, { recursive: true });
const profile = fs.mkdtempSync(path.join(outDir, 'chromium-profile-'));
const timings = {};
let started = Date.now();
const lap = (name) => {
  timings[name] = Date.now() - started;
  started = Date.now();
  console.error(`${name}: ${timings[name]} ms`);
};

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1280, height: 1000 },
});
context.setDefaultTimeout(STEP_MS);
const page = context.pages()[0] ?? (await context.newPage());
const browserErrors = [];
page.on('pageerror', (error) => browserErrors.push(String(error)));
await context.route(
  (url) => !url.href.startsWith(base),
  (route) => route.abort('internetdisconnected'),
);
lap('launch');

// A card of the chat, by a text it shows.
const card = (text) => page.locator('.ac-adaptiveCard', { hasText: text }).last();

try {
  await page.goto(base, { waitUntil: 'domcontentloaded' });
  const box = page.getByRole('textbox').and(page.locator('[contenteditable="true"]'));
  await box.first().waitFor();
  lap('open');

  await box.first().click();
  await page.keyboard.type('trainingen');
  await page.getByRole('button', { name: 'Send Message' }).click();
  let listing = card('Pagina 1 van');
  await listing.waitFor();
  lap('list');

  // The session may be on a later page: "Volgende" (an Action.Execute) until it shows.
  const session = () =>
    listing
      .locator('.ac-container', { hasText: 'Rooster tweedaagse' })
      .filter({ hasText: ROOSTER_DAYS })
      .filter({ has: page.getByRole('button', { name: 'Aanmelden' }) })
      .last();
  for (let pageNumber = 1; (await session().count()) === 0; pageNumber += 1) {
    if (pageNumber > 5) throw new Error('Rooster tweedaagse not found in the calendar');
    await listing.getByRole('button', { name: 'Volgende' }).click();
    listing = card(`Pagina ${pageNumber + 1} van`);
    await listing.waitFor();
  }
  lap('paged to the session');

  await session().getByRole('button', { name: 'Aanmelden' }).click();
  const form = card('Aanmelden: Rooster tweedaagse');
  await form.waitFor();
  lap('form');

  const name = form.getByRole('textbox', { name: 'Naam' }).first();
  await name.fill(participant);
  await form.getByRole('button', { name: 'Aanmelden' }).click();
  const done = card(`aangemeld voor Rooster tweedaagse`);
  await done.waitFor();
  await done.getByText(participant).waitFor();
  lap('confirmation');

  await done.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(outDir, 'sign-up.png') });
  const confirmation = await done.innerText();
  console.log(JSON.stringify({ confirmation, timings, browserErrors }));
} catch (error) {
  console.error(String(error?.stack ?? error));
  await page.screenshot({ path: path.join(outDir, 'failure.png') }).catch(() => {});
  const text = await page.locator('body').innerText().catch(() => '');
  fs.writeFileSync(path.join(outDir, 'failure.txt'), text);
  process.exitCode = 1;
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

// A person at the feedback page, in Debian's Chromium driven headless by playwright-core:
// waits for the request whose summary contains MARKER, attaches an image, types ANSWER, sends.
//   node browser-feedback.mjs <page url> <marker> <answer>
// Prints what the page showed: Markdown rendered (strong), no script from the summary executed.
import { chromium } from 'playwright-core';

const [pageUrl, marker, answer] = process.argv.slice(2);
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'] });
const out = {};
try {
  const page = await browser.newPage();
  page.on('dialog', (dialog) => { out.dialog = dialog.message(); dialog.dismiss(); });
  await page.goto(pageUrl);
  const request = page.locator('li.request', { hasText: marker });
  await request.waitFor({ timeout: 30000 });
  out.strong = await request.locator('.summary strong').count();
  out.script_tags = await request.locator('.summary script, .summary img').count();
  out.summary_text = await request.locator('.summary').innerText();
  await request.locator('input[type=file]').setInputFiles({ name: 'shot.png', mimeType: 'image/png',
    buffer: Buffer.from(PNG, 'base64') });
  await request.locator('.images img').waitFor({ timeout: 10000 });
  await request.locator('textarea').fill(answer);
  await request.locator('button[type=submit]').click();
  await request.waitFor({ state: 'detached', timeout: 30000 });
  out.pwned = await page.evaluate(() => window.pwned === true);
  out.sent = true;
} catch (e) {
  out.error = String(e?.message ?? e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));

// Screenshots of the receptive-field section only (the visual test's names), for looking at one widget:
//   node tests/browser/rf-shots.mjs [revealed|corner]   (corner: revealed, output pixel (0, 0))
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ARTIFACTS, openBrowser, whenStarted } from './harness.mjs';

const SHOTS = join(ARTIFACTS, 'visual');
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } };
const mode = process.argv[2] ?? '';
const revealed = mode === 'revealed' || mode === 'corner';
mkdirSync(SHOTS, { recursive: true });
const session = await openBrowser();
try {
  for (const [sizeName, size] of Object.entries(SIZES)) {
    for (const [language, suffix] of [
      ['en', ''],
      ['zh', '-zh'],
    ]) {
      for (const colorScheme of ['light', 'dark']) {
        const context = await session.browser.newContext({ viewport: size, colorScheme });
        const page = await context.newPage();
        await page.goto(`${session.url}web/${language === 'zh' ? '?lang=zh' : ''}`);
        await whenStarted(page, '#rf');
        if (revealed)
          await page.evaluate(() =>
            [...document.querySelector('#rf').shadowRoot.querySelectorAll('[part="exercise"] button')].at(-1).click(),
          );
        if (mode === 'corner') await page.evaluate(() => (document.querySelector('#rf').pixel = [0, 0]));
        await page.waitForTimeout(400);
        const name = `receptive-field-${sizeName}-${colorScheme}${suffix}${mode ? `-${mode}` : ''}.png`;
        await page.locator('#receptive-field').screenshot({ path: join(SHOTS, name) });
        console.log(name);
        await context.close();
      }
    }
  }
} finally {
  await session.close();
}

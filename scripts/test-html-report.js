// The HTML report in a real browser (headless Chromium driven by playwright-core): run by
// scripts/test-html-report.sh, which writes the reports and installs what this needs.
//
//   node scripts/test-html-report.js FIXTURES.html [GITHUB.html] [--screenshot PNG]
//
// On the fixtures' report (testdata/html): the matrix's rows, the cells of known findings,
// the details of a cell, every filter, and that no `<script>` or `onerror` written in the
// spec ran. On GitHub's: every operation drawn, the time to draw it, a cell's details and
// a filter. Fails on any page error or console message (a CSP violation is one).
'use strict';

const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const args = process.argv.slice(2);
const screenshotAt = args.indexOf('--screenshot');
const screenshot = screenshotAt >= 0 ? args.splice(screenshotAt, 2)[1] : null;
const [fixtures, github] = args;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
// Rendering GitHub's spec must take less than this, from navigation to the first paint after
// the matrix is drawn (the median of RUNS loads).
const BUDGET_MS = 2000;
const RUNS = 5;

let failures = 0;
let passes = 0;
function check(condition, what, detail) {
  if (condition) {
    passes += 1;
  } else {
    failures += 1;
    console.error(`FAIL: ${what}${detail === undefined ? '' : `\n  got: ${JSON.stringify(detail)}`}`);
  }
}
function equal(actual, expected, what) {
  check(JSON.stringify(actual) === JSON.stringify(expected), `${what}: expected ${JSON.stringify(expected)}`, actual);
}

async function open(browser, file) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error}`));
  page.on('console', (message) => problems.push(`console ${message.type()}: ${message.text()}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) { problems.push(`request: ${request.url()}`); }
  });
  await page.goto('file://' + path.resolve(file));
  await page.waitForSelector('html[data-paint-ms]', { timeout: 30000 });
  return { page, problems };
}

// The visible rows of each document's matrix: "METHOD path".
function visibleRows(page) {
  return page.$$eval('section.doc', (sections) => sections.map((section) => ({
    file: section.querySelector('h2').firstChild.textContent,
    rows: Array.from(section.querySelectorAll('tr.op'))
      .filter((row) => row.offsetParent !== null)
      .map((row) => row.querySelector('.method').textContent + ' ' + row.querySelector('.path').textContent),
  })));
}

// The state and symbol of a cell: the row "METHOD path" in the section of `file`, column `code`.
function cell(page, file, operation, code) {
  return page.evaluate(([file, operation, code]) => {
    const section = Array.from(document.querySelectorAll('section.doc')).find((s) => s.querySelector('h2').firstChild.textContent === file);
    if (!section) { return 'no section'; }
    const row = Array.from(section.querySelectorAll('tr.op'))
      .find((tr) => tr.querySelector('.method').textContent + ' ' + tr.querySelector('.path').textContent === operation);
    if (!row) { return 'no row'; }
    const td = Array.from(row.querySelectorAll('td.c')).find((td) => td.column === code);
    return td ? `${td.state} ${td.textContent}`.trim() : 'none';
  }, [file, operation, code]);
}

async function clickCell(page, file, operation, code) {
  const handle = await page.evaluateHandle(([file, operation, code]) => {
    const section = Array.from(document.querySelectorAll('section.doc')).find((s) => s.querySelector('h2').firstChild.textContent === file);
    const row = Array.from(section.querySelectorAll('tr.op'))
      .find((tr) => tr.querySelector('.method').textContent + ' ' + tr.querySelector('.path').textContent === operation);
    return Array.from(row.querySelectorAll('td.c')).find((td) => td.column === code);
  }, [file, operation, code]);
  await handle.asElement().click();
}

async function testFixtures(browser) {
  const { page, problems } = await open(browser, fixtures);
  const PETSTORE = 'testdata/html/petstore.yaml';
  const ORDERS = 'testdata/html/orders.yaml';

  // Nothing the spec says ran: its title has an <img onerror>, a summary and a description a <script>.
  equal(await page.evaluate(() => window.oaslintInjected), undefined, 'no script from the spec ran');
  equal(await page.title(), 'oaslint: 2 documents', 'the page title is the report\'s own');
  equal(await page.$$eval('#app img, #app script', (nodes) => nodes.length), 0, 'no element from the spec');
  const heading = await page.$eval('#doc-1 h2', (h2) => h2.textContent);
  check(heading.includes('Pet store <img src=x onerror="window.oaslintInjected = \'title\'">'), 'the title shows as text', heading);

  // Rows: one section per root document, operations grouped by tag, else by path.
  equal(await visibleRows(page), [
    { file: ORDERS, rows: ['POST /orders', 'GET /orders/{id}'] },
    { file: PETSTORE, rows: ['GET /pets', 'POST /pets', 'GET /pets/{petId}', 'DELETE /pets/{petId}', 'GET /store/inventory', 'GET /health'] },
  ], 'the matrix rows');
  equal(await page.$$eval('#doc-1 tr.group button', (buttons) => buttons.map((b) => b.firstChild.textContent.slice(2))),
    ['pets', 'store', '/health'], 'groups: the document\'s tags in order, then the first path segment');
  equal(await page.$$eval('#doc-1 thead th.code', (ths) => ths.map((th) => th.textContent)),
    ['200', '201', '204', '304', '400', '404', 'default'], 'columns: codes sorted, default last, 201 required though never declared');

  // Cells of known findings.
  const cells = {
    'POST /pets 200': 'ok \u2713',
    'POST /pets 201': 'missing \u2717',
    'POST /pets 304': 'disallowed \u2298',
    'DELETE /pets/{petId} 204': 'finding !',
    'DELETE /pets/{petId} 404': 'missing \u2717',
    'GET /health 204': 'finding !',
    'GET /store/inventory 304': 'ok \u2713',
    'GET /pets 201': 'none',
  };
  for (const [key, expected] of Object.entries(cells)) {
    const [method, route, code] = key.split(' ');
    equal(await cell(page, PETSTORE, `${method} ${route}`, code), expected, `cell ${key}`);
  }
  equal(await cell(page, ORDERS, 'GET /orders/{id}', '201'), 'disallowed \u2298', 'cell GET /orders/{id} 201');
  // The finding of no operation is in the document's header.
  const about = await page.$eval('#doc-1 .doc-findings', (node) => node.textContent);
  check(about.includes('remote-ref') && about.includes('components.yaml:9:23'), 'the remote-ref finding is the document\'s', about);

  // A cell's details: the finding, its help, the ref chain, the excerpt with its place marked.
  await clickCell(page, PETSTORE, 'GET /health', '204');
  const detail = await page.$eval('tr.detail', (tr) => ({
    text: tr.textContent,
    mark: tr.querySelector('pre.excerpt mark') && tr.querySelector('pre.excerpt mark').textContent,
    rule: tr.querySelector('a.rule') && tr.querySelector('a.rule').href,
  }));
  // A fault of a shared response: reported once, at its definition, on each user's cell.
  check(detail.text.includes('204 No Content declares a body') && detail.text.includes('used by GET /health as `204`'),
    'the cell shows its finding', detail.text);
  check(detail.text.includes('help: remove the `content` from this response'), 'with its help', detail.text);
  check(detail.text.includes('referenced here') && detail.text.includes('petstore.yaml:79:23'), 'and its ref chain', detail.text);
  check(detail.text.includes('components.yaml:36:7'), 'and where it is', detail.text);
  equal(detail.mark, 'content', 'the excerpt marks the finding');
  check(/docs\/rules\/no-body\.md$/.test(detail.rule || ''), 'the rule links to its page', detail.rule);
  // The row's details: the operation's responses and every finding; the spec's text as text.
  await page.click('#doc-1 tr.op:nth-child(1) .op-button');
  const row = await page.$eval('tr.detail', (tr) => tr.textContent);
  check(row.includes('List the pets <script>window.oaslintInjected = \'summary\'; document.title = \'pwned\'</script>'),
    'the summary shows as text', row);
  check(row.includes('The pets <script>window.oaslintInjected = \'description\'</script>'), 'the description shows as text', row);
  equal(await page.evaluate(() => window.oaslintInjected), undefined, 'still no script from the spec ran');
  equal(await page.$$eval('tr.detail', (rows) => rows.length), 1, 'one details row at a time');
  if (screenshot) {
    await page.click('#doc-1 tr.op:nth-child(1) .op-button');
    await clickCell(page, PETSTORE, 'DELETE /pets/{petId}', '204');
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.setViewportSize({ width: 1400, height: 1000 });
    console.log(`screenshot: ${screenshot}`);
  }

  // Filters.
  await page.check('#filter-only');
  equal(await visibleRows(page), [
    { file: ORDERS, rows: ['GET /orders/{id}'] },
    { file: PETSTORE, rows: ['POST /pets', 'DELETE /pets/{petId}', 'GET /health'] },
  ], 'only operations with findings');
  await page.uncheck('input[name=severity][value=warning]');
  await page.uncheck('input[name=severity][value=info]');
  equal(await visibleRows(page), [{ file: ORDERS, rows: [] }, { file: PETSTORE, rows: ['DELETE /pets/{petId}', 'GET /health'] }],
    'errors only');
  equal(await cell(page, PETSTORE, 'POST /pets', '201'), 'none', 'a warning\'s missing cell is blank when warnings are hidden');
  equal(await cell(page, PETSTORE, 'DELETE /pets/{petId}', '404'), 'none', 'as is an info\'s');
  equal(await page.$eval('#shown', (node) => node.textContent), '2 operations shown of 8', 'the count of shown operations');
  await page.check('input[name=severity][value=warning]');
  await page.check('input[name=severity][value=info]');
  await page.selectOption('#filter-rule', 'code-allowed-for-method');
  equal(await visibleRows(page), [{ file: ORDERS, rows: ['GET /orders/{id}'] }, { file: PETSTORE, rows: ['POST /pets'] }], 'one rule');
  equal(await cell(page, PETSTORE, 'POST /pets', '201'), 'none', 'another rule\'s cell is blank');
  await page.selectOption('#filter-rule', '');
  await page.uncheck('#filter-only');
  await page.selectOption('#filter-tag', 'store');
  equal(await visibleRows(page), [{ file: ORDERS, rows: [] }, { file: PETSTORE, rows: ['GET /store/inventory'] }], 'a tag');
  await page.selectOption('#filter-tag', '');
  await page.fill('#filter-search', 'PETID');
  await page.waitForFunction(() => document.querySelector('#shown').textContent.startsWith('2 '));
  equal(await visibleRows(page), [{ file: ORDERS, rows: [] }, { file: PETSTORE, rows: ['GET /pets/{petId}', 'DELETE /pets/{petId}'] }],
    'the search on paths');
  await page.fill('#filter-search', 'listpets');
  await page.waitForFunction(() => document.querySelector('#shown').textContent.startsWith('1 '));
  equal(await visibleRows(page), [{ file: ORDERS, rows: [] }, { file: PETSTORE, rows: ['GET /pets'] }], 'the search on operationIds');

  equal(problems, [], 'no page error, console message or request');
  await page.close();
}

async function testGithub(browser) {
  const size = require('fs').statSync(github).size;
  check(size < 5 * 1024 * 1024, 'GitHub\'s report is under 5 MB', size);
  const times = [];
  let page;
  let problems;
  for (let run = 0; run < RUNS; run++) {
    if (page) { await page.close(); }
    ({ page, problems } = await open(browser, github));
    times.push(Number(await page.evaluate(() => document.documentElement.dataset.paintMs)));
  }
  const sorted = times.slice().sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const operations = await page.evaluate(() => JSON.parse(document.querySelector('script.oaslint-document').textContent).ops.length);
  const drawn = await page.$$eval('tr.op', (rows) => rows.length);
  console.log(`GitHub's spec: ${(size / 1024 / 1024).toFixed(2)} MB, ${drawn} operations, drawn and painted in ${times.join(', ')} ms (median ${median} ms)`);
  check(median < BUDGET_MS, `GitHub's report renders in under ${BUDGET_MS} ms`, times);
  check(operations > 1000, 'GitHub\'s spec has its thousand operations', operations);
  equal(drawn, operations, 'every operation is a row');
  // A missing cell's details, and the filter on operations with findings.
  await page.evaluate(() => {
    const td = document.querySelector('td.c.s-missing');
    td.scrollIntoView({ block: 'center' });
  });
  await page.click('td.c.s-missing');
  const detail = await page.$eval('tr.detail', (tr) => tr.textContent);
  check(/declares no \d{3}/.test(detail), 'a missing cell shows its finding', detail.slice(0, 300));
  await page.check('#filter-only');
  const withFindings = await page.evaluate(() => {
    const doc = JSON.parse(document.querySelector('script.oaslint-document').textContent);
    return new Set(doc.findings.flatMap((f) => (f.a || []).map((cell) => cell[0]))).size;
  });
  equal(await page.$$eval('tr.op', (rows) => rows.filter((row) => !row.hidden && !row.closest('[hidden]')).length), withFindings,
    'only operations with findings');
  equal(problems, [], 'no page error, console message or request on GitHub\'s report');
  await page.close();
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await testFixtures(browser);
    if (github) { await testGithub(browser); }
  } finally {
    await browser.close();
  }
  console.log(`${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});

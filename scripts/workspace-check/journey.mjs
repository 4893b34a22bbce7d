// The clinician's journey through the workspace in headless Chromium (playwright-core):
// sign in -> upload the README's example trio -> run -> MLC1 first -> mark a variant causative
// with a comment -> see it in the audit trail -> sign out.
// Fails on any console error, page error, failed request or request leaving the server.
// Screenshots of each step go to $ODYSSEY_ARTIFACTS.
//
// env: ODYSSEY_URL (http://127.0.0.1:PORT), ODYSSEY_USER, ODYSSEY_PASSWORD, ODYSSEY_ARTIFACTS,
//      ODYSSEY_EXAMPLES (folder of family.json, family.vcf.gz, family.ped), CHROMIUM (binary)
import { chromium } from "playwright-core";
import path from "node:path";

const base = process.env.ODYSSEY_URL;
const art = process.env.ODYSSEY_ARTIFACTS;
const ex = process.env.ODYSSEY_EXAMPLES;
const problems = [];
let step = 0;

function fail(msg) {
  throw new Error(msg);
}

async function shot(page, name, opts = {}) {
  step += 1;
  const file = path.join(art, `${String(step).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  console.log(`  screenshot ${file}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${page.url()})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message} (${page.url()})`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 500) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (!u.startsWith(base)) {
      problems.push(`request leaving the server: ${u}`);
      return route.abort();
    }
    return route.continue();
  });

  console.log("== sign in");
  await page.goto(`${base}/cases`);
  if (!page.url().startsWith(`${base}/signin`)) fail(`not sent to sign in: ${page.url()}`);
  await page.getByLabel("User name").fill(process.env.ODYSSEY_USER);
  await page.getByLabel("Password").fill(process.env.ODYSSEY_PASSWORD);
  await shot(page, "sign-in");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/cases`);
  await shot(page, "case-list-empty");

  console.log("== upload the example trio");
  await page.getByRole("link", { name: "New case" }).first().click();
  await page.waitForURL(`${base}/cases/new`);
  await page.getByLabel(/Phenopacket \(v1 or v2\) or GA4GH Family/).setInputFiles(path.join(ex, "family.json"));
  await page.getByLabel(/VCF of the proband or family/).setInputFiles(path.join(ex, "family.vcf.gz"));
  await page.getByLabel(/Pedigree/).setInputFiles(path.join(ex, "family.ped"));
  // the term box answers while typing (not used for this case: the file carries the terms)
  await page.getByLabel(/Find an HPO term/).fill("macroceph");
  await page.locator("#hpo-results li").first().waitFor();
  const first = await page.locator("#hpo-results li").first().textContent();
  if (!first.includes("HP:0000256")) fail(`term search: expected Macrocephaly first, got ${first}`);
  await shot(page, "new-case-form");
  await page.getByLabel(/Find an HPO term/).fill("");
  await page.getByRole("button", { name: "Create case" }).click();
  await page.waitForURL(/\/cases\/c_[0-9a-f]+$/);
  await shot(page, "case-uploaded");

  console.log("== run the analysis and watch it");
  await page.getByRole("button", { name: "Run analysis" }).click();
  await page.locator("#run-status").waitFor();
  await shot(page, "analysis-running");
  await page.locator("#gene-table").waitFor({ timeout: 180_000 });
  const genes = await page.locator("#gene-table tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.gene));
  console.log(`  ranked genes: ${genes.slice(0, 5).join(", ")}`);
  if (genes[0] !== "MLC1") fail(`expected MLC1 first, got ${genes[0]}`);
  await shot(page, "results");
  await page.setViewportSize({ width: 768, height: 1024 });
  await shot(page, "results-tablet");
  await page.setViewportSize({ width: 1280, height: 900 });

  console.log("== mark an MLC1 variant causative with a comment (keyboard only)");
  const gene = page.locator("#gene-MLC1");
  const row = gene.locator("tr[data-variant]").first();
  const variant = await row.getAttribute("data-variant");
  const summary = gene.locator("tr.review-row summary").first();
  await summary.focus();
  await page.keyboard.press("Enter");
  const form = gene.locator("tr.review-row form").first();
  await form.getByLabel("Status").selectOption("causative");
  await form.getByLabel("ACMG/AMP criteria").fill("PM2_Supporting, PM3, PP4");
  await form.getByLabel("ACMG/AMP class").selectOption("likely_pathogenic");
  await form.getByLabel("Comment").fill("Compound heterozygous with the second MLC1 variant; fits megalencephalic leukoencephalopathy.");
  await shot(page, "review-form");
  await form.getByRole("button", { name: /Save review/ }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/#review-saved$/);
  const pill = await page.locator(`tr[data-variant="${variant}"] .pill`).first().textContent();
  if (!pill.includes("causative")) fail(`variant ${variant} not shown as causative: ${pill}`);
  await page.locator(`#gene-MLC1`).scrollIntoViewIfNeeded();
  await shot(page, "variant-causative");

  console.log("== the audit trail");
  const audit = page.locator("#audit-table");
  await audit.scrollIntoViewIfNeeded();
  const text = await audit.textContent();
  for (const want of ["review.set", `variant:${variant}`, "causative", "comment.add", "Compound heterozygous", "case.create", "analysis.request"]) {
    if (!text.includes(want)) fail(`audit trail lacks ${want}`);
  }
  await page.locator("#audit").screenshot({ path: path.join(art, `${String(++step).padStart(2, "0")}-audit-trail.png`) });
  console.log(`  screenshot ${art}/${String(step).padStart(2, "0")}-audit-trail.png`);

  console.log("== sign out");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${base}/signin`);
  await page.goto(`${base}/cases`);
  if (!page.url().startsWith(`${base}/signin`)) fail("still signed in after signing out");
  await shot(page, "signed-out");
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("journey passed: no console errors, nothing fetched from elsewhere");

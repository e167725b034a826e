// Browser tests of parley serve's page (docs/web.md): Debian's chromium driven by playwright-core.
// Plays a whole game against an agent by clicking (and one offer by keyboard), a game between two people in two
// browser contexts (the second joins by the invite link), the watch and explore views; saves screenshots.
// Usage: node test.mjs PARLEY CHROMIUM OUTDIR
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const [parley, chromiumPath, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
let failures = 0;
function check(cond, what) {
  if (!cond) { failures++; console.error("FAIL:", what); } else { console.log("ok:", what); }
}

const server = spawn(parley, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((resolve, reject) => {
  const rl = createInterface({ input: server.stdout });
  rl.once("line", (line) => resolve(line.trim().split(" ").pop().replace(/\/$/, "")));
  server.once("exit", () => reject(new Error("parley serve exited")));
});

const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu"] });
try {
  // ---- A whole game against an agent, by clicking. ----
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/");
  await page.waitForSelector("#scenario option[value='job-offer']", { state: "attached" });
  await page.selectOption("#scenario", "job-offer");
  await page.waitForSelector("#opponent option[value='conceder']", { state: "attached" });
  await page.selectOption("#role", "1");
  await page.selectOption("#opponent", "conceder");
  await page.fill("#rounds", "10");
  await page.screenshot({ path: outDir + "/play-setup.png" });
  await page.click("#start");
  await page.waitForFunction(() => document.querySelector("#status").textContent === "Your turn");
  check((await page.locator("#offers tbody tr").count()) === 1, "the agent's opening offer is listed");
  const util = await page.textContent("#offer-util");
  check(/^\d\.\d{3}$/.test(util) && Number(util) > 0.9, "live utility of the best offer: " + util);
  // Change one issue: the utility follows.
  await page.selectOption("#builder tbody tr:nth-child(1) select", { index: 0 });
  await page.waitForFunction((u) => document.querySelector("#offer-util").textContent !== u, util);
  check(Number(await page.textContent("#offer-util")) < Number(util), "utility drops with a worse salary");
  await page.selectOption("#builder tbody tr:nth-child(1) select", { index: 6 });
  // One offer by keyboard (Alt+O), the rest by clicking.
  await page.focus("#builder select");
  await page.keyboard.press("Alt+o");
  await page.waitForFunction(() => document.querySelectorAll("#offers tbody tr").length >= 3);
  await page.screenshot({ path: outDir + "/play-game.png" });
  for (let k = 0; k < 20 && !(await page.isVisible("#debrief")); k++) {
    const rows = await page.locator("#offers tbody tr").count();
    const last = Number(await page.textContent(`#offers tbody tr:nth-child(${rows}) td:nth-child(5)`));
    const round = Number((await page.textContent("#round-text")).split(" ")[1]);
    if (last >= 0.6 || round >= 8) await page.click("#accept");
    else await page.click("#send-offer");
    await page.waitForFunction((n) => document.querySelectorAll("#offers tbody tr").length > n ||
                                      !document.querySelector("#debrief").hidden, rows);
  }
  await page.waitForSelector("#debrief", { state: "visible" });
  check((await page.textContent("#status")) === "Agreement", "the game ended in agreement");
  check((await page.locator("#debrief-plot svg").count()) === 1, "the debrief's utility-space picture");
  check((await page.textContent("#debrief-table")).includes("distance to Nash"), "distances in the debrief");
  check((await page.locator("#debrief-rounds tbody tr").count()) >= 2, "the debrief's round-by-round table");
  await page.screenshot({ path: outDir + "/debrief.png", fullPage: true });
  check(errors.length === 0, "no page errors: " + errors.join("; "));

  // ---- Two people in two browser contexts. ----
  const ca = await browser.newContext(), cb = await browser.newContext();
  const pa = await ca.newPage(), pb = await cb.newPage();
  await pa.goto(base + "/");
  await pa.waitForSelector("#scenario option[value='job-offer']", { state: "attached" });
  await pa.selectOption("#scenario", "job-offer");
  await pa.waitForSelector("#opponent option[value='human']", { state: "attached" });
  await pa.selectOption("#role", "0");
  await pa.selectOption("#opponent", "human");
  await pa.click("#start");
  await pa.waitForSelector("#invite-box", { state: "visible" });
  const link = await pa.textContent("#invite-link");
  check(link.startsWith(base + "/#join="), "an invite link: " + link);
  await pa.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Waiting for the other"));
  await pb.goto(link);
  await pb.waitForFunction(() => document.querySelector("#status").textContent.startsWith("Their turn"));
  await pa.waitForFunction(() => document.querySelector("#status").textContent === "Your turn", null, { timeout: 5000 });
  await pa.click("#send-offer");
  await pb.waitForFunction(() => document.querySelector("#status").textContent === "Your turn", null, { timeout: 5000 });
  check((await pb.locator("#offers tbody tr").count()) === 1, "the second player sees the offer");
  await pb.screenshot({ path: outDir + "/human-b.png" });
  await pb.click("#accept");
  await pb.waitForSelector("#debrief", { state: "visible" });
  await pa.waitForSelector("#debrief", { state: "visible", timeout: 5000 });
  check((await pa.textContent("#status")) === "Agreement", "both players see the agreement");
  await pa.screenshot({ path: outDir + "/human-a-debrief.png", fullPage: true });

  // ---- Watch and explore. ----
  await page.click("#again");
  await page.click("#nav-watch");
  await page.selectOption("#w-scenario", "job-offer");
  await page.click("#w-run");
  await page.waitForSelector("#w-replay", { state: "visible" });
  check((await page.locator("#w-plot svg").count()) === 1, "watch: the replay's picture");
  await page.screenshot({ path: outDir + "/watch.png", fullPage: true });
  await page.click("#nav-explore");
  await page.waitForSelector("#x-plot svg");
  check((await page.textContent("#x-points")).includes("nash"), "explore: the bargaining points");
  await page.selectOption("#x-scenario", "job-offer");
  await page.waitForSelector("#x-builder select[data-issue='salary']");
  await page.click("#x-report");
  await page.waitForFunction(() => document.querySelector("#x-report-out").textContent.includes("agreed"));
  check((await page.locator("#x-report-out table").count()) === 2, "explore: the agreement report of an outcome");
  await page.screenshot({ path: outDir + "/explore.png", fullPage: true });

  // ---- A phone: the setup and a game fit a 390-pixel-wide screen. ----
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(base + "/");
  await phone.waitForSelector("#scenario option[value='job-offer']", { state: "attached" });
  await phone.selectOption("#scenario", "job-offer");
  await phone.waitForSelector("#opponent option[value='boulware']", { state: "attached" });
  await phone.selectOption("#opponent", "boulware");
  await phone.click("#start");
  await phone.waitForFunction(() => document.querySelector("#status").textContent === "Your turn");
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - 390);
  check(overflow <= 0, "no sideways scrolling on a phone (" + overflow + " px)");
  await phone.screenshot({ path: outDir + "/phone.png", fullPage: true });
} catch (e) {
  failures++;
  console.error("FAIL:", e.message);
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
console.log(failures ? failures + " failures" : "browser tests passed; screenshots in " + outDir);
process.exit(failures ? 1 : 0);
